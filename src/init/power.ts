// Which signal means what (busybox reboot/halt/poweroff, the kernel's
// ctrl-alt-del and power-fail) — a pure table, so it is tested as data.
import type { PowerAction } from '../sys/system';

export type SignalAction = { kind: 'shutdown'; action: PowerAction; reason: string } | { kind: 'reload' };

export const SIGNAL_ACTIONS: Readonly<Partial<Record<NodeJS.Signals, SignalAction>>> = {
  SIGTERM: { kind: 'shutdown', action: 'reboot', reason: 'SIGTERM' },
  SIGINT: { kind: 'shutdown', action: 'reboot', reason: 'ctrl-alt-del' },
  SIGUSR1: { kind: 'shutdown', action: 'halt', reason: 'SIGUSR1' },
  SIGUSR2: { kind: 'shutdown', action: 'poweroff', reason: 'SIGUSR2' },
  SIGPWR: { kind: 'shutdown', action: 'poweroff', reason: 'SIGPWR' },
  SIGHUP: { kind: 'reload' },
};
