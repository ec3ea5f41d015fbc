// The boot hooks RancherOS users script their nodes with, run by the console
// once the boot is complete (so first-boot write_files, which may write them,
// have run, and both Docker daemons answer), one after the other, in this order:
//   1. /var/lib/rancher/conf/cloud-config-script — RancherOS' per-boot script
//   2. /opt/rancher/bin/start.sh                  — the user's own start script
//   3. /etc/rc.local                              — the console's rc.local
// They run in the console, with docker, system-docker, ros and
// wait-for-docker on the PATH; a script that needs the user Docker starts with
// `wait-for-docker`. A hook that is missing is skipped; one that is not
// executable is reported (RancherOS skipped it silently). Logins never wait
// for them. docs/architecture.md, "The console".
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { CONF_DIR } from '../config/paths';
import { readMilestones } from '../init/milestones';
import type { Logger } from '../log/logger';

export const BOOT_HOOKS = [`${CONF_DIR}/cloud-config-script`, '/opt/rancher/bin/start.sh', '/etc/rc.local'] as const;

/** What to do with a hook path (pure, given what the file system says). */
export function hookAction(exists: boolean, executable: boolean): 'skip' | 'not-executable' | 'run' {
  if (!exists) return 'skip';
  return executable ? 'run' : 'not-executable';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(path: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn(path, [], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Longest wait for boot-complete; a boot that never gets there still runs the hooks (they may be how the user repairs it). */
const BOOT_WAIT_MS = 10 * 60 * 1000;

/** Resolves once init has recorded boot-complete, or after `timeoutMs`; true when it was seen. */
export async function bootComplete(read: () => { name: string }[] = readMilestones, timeoutMs = BOOT_WAIT_MS, pollMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (read().some((m) => m.name === 'boot-complete')) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Runs each hook that is there, in order, after boot-complete; a failing one is reported and the next still runs. */
export async function runBootHooks(log: Logger, hooks: readonly string[] = BOOT_HOOKS, waitForBoot: () => Promise<boolean> = bootComplete): Promise<void> {
  if (!(await waitForBoot())) log.warn(`no boot-complete after ${BOOT_WAIT_MS / 60000} min: running the boot hooks anyway`);
  for (const path of hooks) {
    const action = hookAction(existsSync(path), isExecutable(path));
    if (action === 'skip') continue;
    if (action === 'not-executable') {
      log.warn(`boot hook ${path} is not executable: skipped (chmod +x ${path})`);
      continue;
    }
    const t0 = Date.now();
    log.info(`boot hook ${path}: running`);
    const r = await run(path);
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (r.error) log.error(`boot hook ${path}: ${r.error.message}`);
    else if (r.code === 0) log.info(`boot hook ${path}: done in ${took}`);
    else log.error(`boot hook ${path}: ${r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`} after ${took}`);
  }
}
