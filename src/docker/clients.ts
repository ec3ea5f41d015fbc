// The only place that makes Docker clients.
import { existsSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import type Docker from 'dockerode';

/**
 * dockerode and its dependencies are evaluated when the first client is made,
 * not when a program that may make one starts: init reaches init-start
 * sooner, and CLI commands that never talk to a daemon start faster
 * (docs/architecture.md, "What a start of ros costs").
 */
let dockerode: typeof Docker | undefined;
function dockerClass(): typeof Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load the bundler still follows
  dockerode ??= require('dockerode') as typeof Docker;
  return dockerode;
}

export const SYSTEM_DOCKER_SOCK = '/var/run/system-docker.sock';
export const USER_DOCKER_SOCK = '/var/run/docker.sock';

export type DockerClient = Docker;

export function dockerAt(socketPath: string, timeoutMs?: number): Docker {
  const Client = dockerClass();
  return new Client(timeoutMs ? { socketPath, timeout: timeoutMs } : { socketPath });
}

export function systemDocker(socketPath = process.env.ROS_SYSTEM_DOCKER_SOCK ?? SYSTEM_DOCKER_SOCK): Docker {
  return dockerAt(socketPath);
}

export function userDocker(socketPath = process.env.ROS_USER_DOCKER_SOCK ?? USER_DOCKER_SOCK): Docker {
  return dockerAt(socketPath);
}

/**
 * Resolves when the daemon answers /_ping, or rejects after `timeoutMs`.
 * Until the socket exists only its path is looked at, and the ping is a bare
 * HTTP request: under emulation each dockerode request costs tens of
 * milliseconds of PID 1's CPU, which a starting dockerd needs more
 * (docs/architecture.md, "What a start of ros costs").
 */
export async function waitForDocker(socketPath: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no socket';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`docker on ${socketPath} exited before answering`);
    if (existsSync(socketPath)) {
      try {
        await ping(socketPath, Math.min(2000, Math.max(1, deadline - Date.now())));
        return;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker on ${socketPath} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}

/** One GET /_ping over the socket: resolves on HTTP 200. */
function ping(socketPath: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else reject(new Error(`/_ping answered HTTP ${res.statusCode}`));
    });
    req.once('timeout', () => req.destroy(new Error(`/_ping: no answer within ${timeoutMs} ms`)));
    req.once('error', reject);
  });
}
