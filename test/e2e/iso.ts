// Datasource media for e2e tests: ISOs made with xorriso like a cloud provider
// would, and a config drive on FAT (mtools) as OpenStack may also give one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An ISO 9660 image labelled `label` in `dir`, holding `files` (path → content). */
export function makeIso(dir: string, name: string, label: string, files: Record<string, string>): string {
  const tree = join(dir, `${name}-tree`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(tree, path, '..'), { recursive: true });
    writeFileSync(join(tree, path), content);
  }
  const out = join(dir, `${name}.iso`);
  execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', label, '-J', '-R', '-o', out, tree], { stdio: 'pipe' });
  return out;
}

/** A config-drive ISO (label config-2) with OpenStack user_data and an instance uuid. */
export function configDriveIso(dir: string, name: string, userData: string, uuid: string): string {
  return makeIso(dir, name, 'config-2', {
    'openstack/latest/user_data': userData,
    'openstack/latest/meta_data.json': JSON.stringify({ uuid }),
  });
}

/** A config drive on a FAT disk image (label config-2), as RancherOS' own tests used: attach it as a disk. */
export function configDriveFat(dir: string, name: string, userData: string, uuid: string): string {
  const img = join(dir, `${name}.fat`);
  const files: Record<string, string> = { 'openstack/latest/user_data': userData, 'openstack/latest/meta_data.json': JSON.stringify({ uuid }) };
  execFileSync('mformat', ['-i', img, '-C', '-f', '1440', '-v', 'config-2', '::'], { stdio: 'pipe' });
  execFileSync('mmd', ['-i', img, '::/openstack', '::/openstack/latest'], { stdio: 'pipe' });
  for (const [path, content] of Object.entries(files)) {
    const local = join(dir, `${name}-${path.replace(/\//g, '_')}`);
    writeFileSync(local, content);
    execFileSync('mcopy', ['-i', img, local, `::/${path}`], { stdio: 'pipe' });
  }
  return img;
}
