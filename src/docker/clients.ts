// The only place that makes Docker clients.
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

/** Resolves when the daemon answers /_ping, or rejects after `timeoutMs`. */
export async function waitForDocker(socketPath: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = dockerAt(socketPath, 2000);
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`docker on ${socketPath} exited before answering`);
    try {
      await probe.ping();
      return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`docker on ${socketPath} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}
