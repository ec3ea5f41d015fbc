// Keeping the console's programs running (a getty, sshd) is the job of
// /usr/libexec/ros/console-respawn, a shell script the console's main process
// becomes once the console is set up (src/sys/exec.ts): a Node process would
// hold 17 MiB for the node's whole uptime to restart a getty when a user logs
// out. This builds its arguments. docs/architecture.md, "The console".

export const RESPAWN = '/usr/libexec/ros/console-respawn';

export interface Kept {
  /** Named in the log when it exits too soon, e.g. `getty on ttyS0`. */
  what: string;
  cmd: string;
  args: string[];
  /** `ignore`: /dev/null (a getty opens its own tty); `inherit`: the console's log. */
  stdio: 'ignore' | 'inherit';
}

/** Pure: one word for sh, quoted so that nothing in it is expanded. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Pure: the argv of console-respawn: WHAT STDIO COMMAND for each program, then `--` and the hook paths. */
export function respawnArgv(kept: Kept[], hooks: readonly string[]): string[] {
  const programs = kept.flatMap((k) => [k.what, k.stdio, [k.cmd, ...k.args].map(shellQuote).join(' ')]);
  return [RESPAWN, ...programs, '--', ...hooks];
}
