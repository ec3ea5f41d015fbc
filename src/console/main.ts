// The console: the main process of the `console` system container (`ros
// console-init`). Like tini's main, it reads as the list of its duties. It
// is not a second init: it shares the host's PID namespace (its orphans go to
// the container's shim, not to it), it reads the config PID 1 loaded, and
// it only keeps the programs a user logs in with running — by becoming
// console-respawn, a shell script, once they are set up (src/console/respawn.ts).
// docs/architecture.md, "The console".
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Cmdline } from '../config/cmdline';
import { loadNodeConfig, nodePaths, readCmdline } from '../config/node';
import { VISIBLE_CMDLINE } from '../config/paths';
import type { RosConfig } from '../config/types';
import { createLogger, type Logger } from '../log/logger';
import { coverProcCmdline } from '../sys/mount';
import { replaceProcess } from '../sys/exec';
import { BOOT_HOOKS, bootComplete, runBootHooks } from './hooks';
import { setRancherPassword } from './password';
import { respawnArgv, type Kept } from './respawn';
import { dropbearArgs, ensureHostKeys, installConfiguredKeys, sshPort } from './sshd';
import { consoleTtys, gettyArgs } from './ttys';

export function runConsole(args: string[] = []): void {
  const log = createLogger({ name: 'console', consoleFd: 2, level: 'info' });
  if (args.includes('--hooks')) {
    runHooks(log);
    return;
  }
  hideInitOnlyWords(log);
  const { cmdline, config } = readConfig(log);
  setPassword(config, log);
  const kept = [...gettys(cmdline, log), ...sshd(config, log)];
  normalPriority(log);
  try {
    replaceProcess(respawnArgv(kept, BOOT_HOOKS));
  } catch (err) {
    log.error(`cannot keep the console's programs running: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

/**
 * The console's command starts it niced (system-services/console.yml), so its
 * setup yields to the boot's critical path; the gettys, sshd and the users'
 * shells they start must not inherit that.
 */
function normalPriority(log: Logger): void {
  try {
    setPriority(0, 0);
  } catch (err) {
    log.warn(`cannot reset the console's priority: ${(err as Error).message}`);
  }
}

/** The console has its own /proc: cover its cmdline too when init published the visible words. */
function hideInitOnlyWords(log: Logger): void {
  if (!existsSync(VISIBLE_CMDLINE)) return;
  try {
    coverProcCmdline(VISIBLE_CMDLINE);
  } catch (err) {
    log.error(`cannot hide init-only cmdline words: ${(err as Error).message}`);
  }
}

/** The cmdline PID 1 parsed and the config in force, from the same layers PID 1 read. */
function readConfig(log: Logger): { cmdline: Cmdline; config: RosConfig } {
  const paths = nodePaths();
  const cmdline = readCmdline(paths);
  try {
    return { cmdline, config: loadNodeConfig(paths, cmdline).config };
  } catch (err) {
    log.error(`reading the config: ${(err as Error).message}`);
    return { cmdline, config: {} };
  }
}

/** rancher.password, for console and ssh logins as `rancher`. */
function setPassword(config: RosConfig, log: Logger): void {
  const password: unknown = config.rancher?.password;
  if (typeof password !== 'string' && typeof password !== 'number') return;
  try {
    setRancherPassword(String(password));
  } catch (err) {
    log.error(`rancher.password: ${(err as Error).message}`);
  }
}

/** A getty on every console tty; those named by rancher.autologin (a cmdline key) log in as root. */
function gettys(cmdline: Cmdline, log: Logger): Kept[] {
  return consoleTtys(cmdline.kernel, cmdline.config.rancher?.autologin).flatMap(({ tty, autologin }) => {
    if (!existsSync(`/dev/${tty}`)) {
      log.warn(`/dev/${tty} does not exist: no getty there`);
      return [];
    }
    return [{ what: `getty on ${tty}`, cmd: '/sbin/getty', args: gettyArgs(tty, autologin), stdio: 'ignore' as const }];
  });
}

/** sshd for `rancher`: keys from ssh_authorized_keys, a password only with rancher.password. Its log is the console's. */
function sshd(config: RosConfig, log: Logger): Kept[] {
  const ssh = config.rancher?.ssh ?? {};
  if (ssh.daemon === false) {
    log.info('rancher.ssh.daemon is false: no sshd');
    return [];
  }
  let keys: string[];
  try {
    const given = installConfiguredKeys(ssh.keys, (msg) => log.warn(msg));
    keys = [...given, ...ensureHostKeys().filter((k) => !given.includes(k))];
  } catch (err) {
    log.error(`no sshd: making host keys: ${(err as Error).message}`);
    return [];
  }
  const passwords = config.rancher?.password !== undefined;
  return [{ what: 'sshd', cmd: '/usr/sbin/dropbear', args: dropbearArgs({ port: sshPort(ssh.port), address: ssh.listen_address, passwords, keys }), stdio: 'inherit' }];
}

/**
 * start.sh, rc.local and cloud-config-script: console-respawn starts
 * `ros console-init --hooks` once the boot is complete (or it gave up
 * waiting), and only when one of them is there.
 */
function runHooks(log: Logger): void {
  runBootHooks(log, BOOT_HOOKS, () => bootComplete(undefined, 0)).catch((err: unknown) => {
    log.error(`boot hooks: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
