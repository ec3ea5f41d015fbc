// System Docker, its images, the system services, and the user Docker they start.
import type { Task } from '../stage';
import { systemDocker, userDocker, waitForDocker, USER_DOCKER_SOCK } from '../../docker/clients';
import { ensureImages } from '../../docker/images';
import { upServices } from '../../services/runner';
import { scopeOf } from '../../services/labels';
import type { ServiceMap } from '../../config/service-types';
import type { RosConfig } from '../../config/types';
import { startSystemDocker, waitSystemDocker } from '../system-docker';

export const SYSTEM_IMAGES_DIR = '/usr/share/ros/images/system';
export const USER_IMAGES_DIR = '/usr/share/ros/images/user';

export const startSystemDockerTask: Task = {
  name: 'system-docker',
  async run(ctx) {
    ctx.systemDocker = startSystemDocker(ctx.config.rancher?.system_docker ?? {}, ctx.env);
    await waitSystemDocker(ctx.systemDocker, 120_000);
  },
};

export const loadSystemImages: Task = {
  name: 'load-system-images',
  async run(ctx) {
    const loaded = await ensureImages(systemDocker(), SYSTEM_IMAGES_DIR);
    ctx.log.info(loaded.length > 0 ? `system images loaded: ${loaded.join(', ')}` : 'system images already present');
  },
};

/** Pure: the enabled system-scope services of a config. */
export function enabledSystemServices(config: RosConfig): ServiceMap {
  const out: ServiceMap = {};
  for (const [name, svc] of Object.entries(config.rancher?.services ?? {})) {
    if (svc && scopeOf(svc) === 'system') out[name] = svc;
  }
  return out;
}

export const startSystemServices: Task = {
  name: 'system-services',
  async run(ctx) {
    const outcomes = await upServices(systemDocker(), enabledSystemServices(ctx.config), ctx.log, ctx.config.rancher?.environment ?? {});
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length > 0) throw new Error(`services failed: ${failed.map((o) => `${o.name} (${o.error})`).join(', ')}`);
  },
};

export const waitUserDocker: Task = {
  name: 'user-docker',
  async run(ctx) {
    await waitForDocker(USER_DOCKER_SOCK, 180_000);
    const loaded = await ensureImages(userDocker(), USER_IMAGES_DIR);
    if (loaded.length > 0) ctx.log.info(`user images preloaded: ${loaded.join(', ')}`);
  },
  when: (ctx) => Boolean(ctx.config.rancher?.services?.docker),
};
