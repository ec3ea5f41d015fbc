// Host identity and power: hostname, sync, reboot(2). Thin wrappers so the
// rest of the code never sees the addon.
import { writeFileSync } from 'node:fs';
import { native } from './native';

export function setHostname(name: string): void {
  native().sethostname(name);
}

export function sync(): void {
  native().sync();
}

export type PowerAction = 'reboot' | 'poweroff' | 'halt';

/** Never returns on success. */
export function rebootSyscall(action: PowerAction): void {
  native().reboot(action === 'reboot' ? 'restart' : action);
}

/** ctrl-alt-del then sends SIGINT to PID 1 instead of rebooting at once. */
export function disableCtrlAltDel(): void {
  try {
    writeFileSync('/proc/sys/kernel/ctrl-alt-del', '0');
  } catch {
    /* not fatal: the reboot(CAD_OFF) below does the same */
  }
  native().reboot('cad-off');
}

export function reapPid(pid: number) {
  return native().waitpid(pid);
}

/**
 * Writes the journal of the file system holding `dir` back to its home
 * blocks (freeze, thaw): what GRUB reads, since it never replays a journal.
 */
export function checkpointFs(dir: string): void {
  native().checkpoint(dir);
}
