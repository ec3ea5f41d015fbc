// cloud-config modules that run once per datasource instance: ssh keys,
// write_files, runcmd, a user-data script. RancherOS re-ran them on every
// boot (#2910); ros records the instance-id once they have run.
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { atomicWrite } from '../../sys/atomic-write';
import type Docker from 'dockerode';
import { decodeWriteFile, lookupId } from '../../config/write-files';
import { systemDocker, userDocker } from '../../docker/clients';
import { writeIntoContainer } from '../../services/container-files';
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { runCommand } from '../cloud-init/commands';
import { markInstanceDone } from '../cloud-init/instance';
import { userScripts } from '../cloud-init/save-user-data';

const RANCHER_UID = 1100;
const RANCHER_HOME = '/home/rancher';

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function sshKeys(ctx: BootContext): void {
  // The cloud's keys count even when the user-data's own list replaced them in the config.
  const keys = [...new Set([...(ctx.config.ssh_authorized_keys ?? []), ...(ctx.instance?.sshKeys ?? [])])];
  if (keys.length === 0) return;
  const dir = `${RANCHER_HOME}/.ssh`;
  const file = `${dir}/authorized_keys`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readOr(file).split('\n').filter(Boolean);
  const merged = [...existing, ...keys.filter((k) => !existing.includes(k.trim())).map((k) => k.trim())];
  atomicWrite(file, `${merged.join('\n')}\n`, 0o600);
  for (const p of [RANCHER_HOME, dir, file]) chownSync(p, RANCHER_UID, RANCHER_UID);
  chmodSync(dir, 0o700);
  ctx.log.info(`ssh_authorized_keys: ${keys.length} key(s) for rancher`);
}

function writeFiles(ctx: BootContext): string[] {
  const errors: string[] = [];
  const passwd = readOr('/etc/passwd');
  const group = readOr('/etc/group');
  for (const [i, f] of (ctx.config.write_files ?? []).entries()) {
    const where = `write_files[${i}] ${f.path}`;
    if (f.container) continue; // writeContainerFiles(), once the services run
    const decoded = decodeWriteFile(f);
    if (!decoded.ok) {
      errors.push(`${where}: ${decoded.error}`);
      continue;
    }
    try {
      mkdirSync(dirname(f.path), { recursive: true });
      atomicWrite(f.path, decoded.data, decoded.mode);
      chmodSync(f.path, decoded.mode);
      const uid = lookupId(decoded.owner, passwd);
      const gid = lookupId(decoded.group, group);
      if (uid === null || gid === null) errors.push(`${where}: unknown owner ${decoded.owner}:${decoded.group}`);
      else chownSync(f.path, uid, gid);
    } catch (err) {
      errors.push(`${where}: ${(err as Error).message}`);
    }
  }
  const written = (ctx.config.write_files ?? []).filter((f) => !f.container).length - errors.length;
  if (written > 0) ctx.log.info(`write_files: ${written} file(s) written`);
  return errors;
}

/** write_files entries with `container:`, into that service's container (system-docker's, else the user Docker's). */
async function writeContainerFiles(ctx: BootContext): Promise<string[]> {
  const errors: string[] = [];
  for (const [i, f] of (ctx.config.write_files ?? []).entries()) {
    if (!f.container) continue;
    const where = `write_files[${i}] ${f.path} in ${f.container}`;
    const decoded = decodeWriteFile(f);
    if (!decoded.ok) {
      errors.push(`${where}: ${decoded.error}`);
      continue;
    }
    try {
      const container = await findContainer(f.container);
      if (!container) throw new Error(`no container ${f.container} in system-docker or the user Docker`);
      await writeIntoContainer(container, f.path, decoded.data, decoded.mode, decoded.owner, decoded.group);
      ctx.log.info(`write_files: ${f.path} written into ${f.container}`);
    } catch (err) {
      errors.push(`${where}: ${(err as Error).message}`);
    }
  }
  return errors;
}

/** rancher.restart_services, after write_files: each service's container, wherever it runs. */
async function restartServices(ctx: BootContext): Promise<string[]> {
  const errors: string[] = [];
  for (const name of ctx.config.rancher?.restart_services ?? []) {
    try {
      const container = await findContainer(name);
      if (!container) throw new Error(`no container ${name} in system-docker or the user Docker`);
      await container.restart();
      ctx.log.info(`restart_services: ${name} restarted`);
    } catch (err) {
      errors.push(`restart_services ${name}: ${(err as Error).message}`);
    }
  }
  return errors;
}

async function findContainer(name: string): Promise<Docker.Container | null> {
  for (const docker of [systemDocker(), userDocker()]) {
    const c = docker.getContainer(name);
    try {
      await c.inspect();
      return c;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return null;
}

export const perInstance: Task = {
  name: 'per-instance',
  when: (ctx) => ctx.instance?.isNew === true,
  async run(ctx) {
    const instance = ctx.instance;
    if (!instance) return;
    const errors: string[] = [];
    try {
      sshKeys(ctx);
    } catch (err) {
      errors.push(`ssh_authorized_keys: ${(err as Error).message}`);
    }
    errors.push(...writeFiles(ctx), ...(await writeContainerFiles(ctx)), ...(await restartServices(ctx)));
    for (const [i, cmd] of (ctx.config.runcmd ?? []).entries()) await runCommand(ctx.log, `runcmd[${i}]`, cmd, ctx.env);
    for (const script of userScripts()) await runCommand(ctx.log, `user-data script ${script}`, [script], ctx.env);
    // Recorded even when a module failed: "once" means once, and the log says what went wrong.
    markInstanceDone(instance.id, instance.source);
    if (errors.length > 0) throw new Error(errors.join('; '));
  },
};
