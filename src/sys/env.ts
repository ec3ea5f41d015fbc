// The kernel hands unknown key=value cmdline words to init as environment.
// Nothing of that may leak into dockerd or services (NODE_OPTIONS could even
// change how a re-executed ros behaves), so init starts from a clean slate.
export const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  TERM: 'linux',
  LANG: 'C.UTF-8',
};

/** The clean environment PID 1 keeps; `TERM` survives if the kernel gave one. */
export function sanitisedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { ...BASE_ENV };
  const term = env.TERM;
  if (term && /^[A-Za-z0-9._-]+$/.test(term)) out.TERM = term;
  return out;
}

/** Replaces process.env in place (libuv children inherit it). */
export function applyEnv(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}
