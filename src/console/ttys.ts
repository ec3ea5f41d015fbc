// Which ttys get a getty, and which of them log in automatically (pure).
/** Logs root in without a password (initramfs/files/usr/sbin/autologin). */
export const AUTOLOGIN = '/usr/sbin/autologin';

export interface ConsoleTty {
  tty: string;
  autologin: boolean;
}

/** ttyS0 and tty1 always, plus every `console=` tty of the cmdline. */
export function consoleTtys(cmdline: string[], autologin: unknown): ConsoleTty[] {
  const ttys = ['ttyS0', 'tty1'];
  for (const w of cmdline) {
    if (!w.startsWith('console=')) continue;
    const tty = w.slice('console='.length).split(',')[0] ?? '';
    if (/^tty\w*$/.test(tty) && !ttys.includes(tty)) ttys.push(tty);
  }
  const auto = new Set((Array.isArray(autologin) ? autologin : [autologin]).filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')));
  return ttys.map((tty) => ({ tty, autologin: auto.has(tty) }));
}

/** Pure: busybox getty's argv for a tty. */
export function gettyArgs(tty: string, autologin: boolean): string[] {
  const base = ['-L', '115200', tty, 'vt102'];
  return autologin ? ['-n', '-l', AUTOLOGIN, ...base] : base;
}
