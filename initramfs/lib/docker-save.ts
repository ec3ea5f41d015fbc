// Writes a `docker save`-format tarball from a staged directory, with no
// Docker daemon: one layer (GNU tar, reproducible), a config whose sha256 is
// the image id, and manifest.json / repositories for `docker load`.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run';

export interface ImageConfig {
  tag: string; // repo:tag
  env?: string[];
  cmd?: string[];
  entrypoint?: string[];
  labels?: Record<string, string>;
}

const REPRODUCIBLE = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=gnu'];
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Returns the image id (sha256:…). */
export function writeDockerSave(layerRoot: string, cfg: ImageConfig, outFile: string, workDir: string): string {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const layerTar = join(workDir, 'layer.tar');
  run('tar', ['-C', layerRoot, ...REPRODUCIBLE, '-cf', layerTar, '.']);
  const diffId = sha256(readFileSync(layerTar));
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '1970-01-01T00:00:00Z',
    config: {
      Env: cfg.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: cfg.cmd,
      Entrypoint: cfg.entrypoint,
      Labels: cfg.labels ?? {},
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'ros image build (initramfs/build.ts)' }],
  });
  const id = sha256(config);
  const [repo = cfg.tag, tag = 'latest'] = cfg.tag.split(':');
  mkdirSync(join(workDir, 'out', diffId), { recursive: true });
  run('mv', [layerTar, join(workDir, 'out', diffId, 'layer.tar')]);
  writeFileSync(join(workDir, 'out', diffId, 'VERSION'), '1.0');
  writeFileSync(join(workDir, 'out', `${id}.json`), config);
  writeFileSync(join(workDir, 'out', 'manifest.json'), JSON.stringify([{ Config: `${id}.json`, RepoTags: [cfg.tag], Layers: [`${diffId}/layer.tar`] }]));
  writeFileSync(join(workDir, 'out', 'repositories'), JSON.stringify({ [repo]: { [tag]: diffId } }));
  run('tar', ['-C', join(workDir, 'out'), ...REPRODUCIBLE, '-cf', outFile, '.']);
  rmSync(workDir, { recursive: true, force: true });
  return `sha256:${id}`;
}
