// Exit codes, mapped in one place: 0 ok, 1 failed, 2 usage, 3 invalid config.
export class ConfigError extends Error {
  readonly exitCode = 3;
}

/** A command that changes a node, run where there is none. */
export class NotANodeError extends Error {
  readonly exitCode = 1;
}

export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number') return err.exitCode;
  return 1;
}
