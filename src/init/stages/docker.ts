// System Docker, its images, the system services, and the user Docker they start.
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { systemDocker, userDocker, waitForDocker, USER_DOCKER_SOCK } from '../../docker/clients';
import { ensureImages } from '../../docker/images';
import { upServices } from '../../services/runner';
import { labelsOf } from '../../services/labels';
import { LABEL } from '../../config/service-types';
import { enabledServices, ofScope, reachedBefore } from '../../services/catalogue';
import { serviceVars } from '../../services/interpolate';
import { TLS_DIR } from '../../config/paths';
import { dockerTlsReady } from '../../tls/files';
import { SYSTEM_DOCKER_ROOT, startSystemDocker, waitSystemDocker } from '../system-docker';
import { seedSystemStore } from '../system-store';
import { mergeSystemStore } from '../store-merge';
import { MS, mount } from '../../sys/mount';
import { daemonConfig } from '../../services/docker-daemon';

export const SYSTEM_IMAGES_DIR = '/usr/share/ros/images/system';
export const USER_IMAGES_DIR = '/usr/share/ros/images/user';

const SYSTEM_DOCKER_ATTEMPTS = 3;

/** The image's ready system image store into the data root: whole when no dockerd has used it, else merged. */
async function seedStore(ctx: BootContext): Promise<void> {
  const t0 = Date.now();
  // From RAM the layers are bound in place; a state disk gets a copy it keeps.
  const bind = ctx.state === 'ram' ? (from: string, to: string) => mount({ source: from, target: to, fstype: null, flags: MS.BIND }) : undefined;
  try {
    if (await seedSystemStore(SYSTEM_DOCKER_ROOT, { bind })) {
      ctx.log.info(`system images: the image's store ${bind ? 'bound' : 'copied'} in ${Date.now() - t0} ms`);
      return;
    }
    // A data root a dockerd has used (a state disk): this version's images added beside the old ones.
    const merged = await mergeSystemStore(SYSTEM_DOCKER_ROOT);
    if (merged.length > 0) ctx.log.info(`system images: ${merged.join(', ')} added from the image's store in ${Date.now() - t0} ms`);
  } catch (err) {
    // Not fatal: the system-images stage loads the images from their tarballs when the image
    // has them, else says which image is missing.
    ctx.log.warn((err as Error).message);
  }
}

export const startSystemDockerTask: Task = {
  name: 'system-docker',
  async run(ctx) {
    await seedStore(ctx);
    // A dockerd that exits before it answers is started again, as the supervisor does
    // later: on a loaded machine its first start can give up waiting for its containerd.
    const deadline = Date.now() + 120_000;
    for (let attempt = 1; ; attempt++) {
      const proc = startSystemDocker(daemonConfig(ctx.config.rancher, 'system_docker'), ctx.env);
      ctx.systemDocker = proc;
      try {
        await waitSystemDocker(proc, Math.max(deadline - Date.now(), 1000));
        return;
      } catch (err) {
        const exited = proc.child.exitCode !== null || proc.child.signalCode !== null;
        if (!exited || attempt >= SYSTEM_DOCKER_ATTEMPTS || Date.now() >= deadline) throw err;
        ctx.log.warn(`${(err as Error).message}; starting it again (attempt ${attempt + 1} of ${SYSTEM_DOCKER_ATTEMPTS})`);
      }
    }
  },
};

export const loadSystemImages: Task = {
  name: 'load-system-images',
  async run(ctx) {
    const loaded = await ensureImages(systemDocker(), SYSTEM_IMAGES_DIR);
    ctx.log.info(loaded.length > 0 ? `system images loaded: ${loaded.join(', ')}` : 'system images already present');
  },
};

/**
 * The system services, reconciled with what system-docker has: containers
 * left from the last boot are reused when unchanged, recreated when changed,
 * and removed when their service is no longer enabled (`ros service disable`
 * stays disabled across reboots, whatever restart policy the container had).
 */
export const startSystemServices: Task = {
  name: 'system-services',
  async run(ctx) {
    // Resolved once: catalogue and service files are read and validated a single time per boot.
    const resolved = enabledServices(ctx.config);
    for (const p of resolved.problems) ctx.log.error(p);
    for (const w of resolved.warnings) ctx.log.warn(w);
    ctx.services = resolved.services;
    // rancher.docker.tls: dockerd's arguments name these files, so they are there before it starts.
    for (const done of dockerTlsReady(ctx.config, resolved.services, TLS_DIR)) ctx.log.info(`docker tls: ${done}`);
    const services = ofScope(resolved.services, 'system');
    const outcomes = await upServices(systemDocker(), services, ctx.log, { vars: serviceVars(ctx.config.rancher?.environment), prune: true });
    const failed = outcomes.filter((o) => !o.ok);
    // Only a service labelled essential may stop the boot; any other failure is reported and the boot goes on.
    const essential = failed.filter((o) => labelsOf(services[o.name] ?? { image: '' })[LABEL.essential] === 'true');
    if (essential.length > 0) ctx.fatal = `essential service failed: ${essential.map((o) => `${o.name} (${o.error})`).join(', ')}`;
    if (failed.length > 0) throw new Error(`services failed: ${failed.map((o) => `${o.name} (${o.error})`).join(', ')}`);
  },
};

const userDockerOn = (ctx: BootContext) => Boolean(ctx.config.rancher?.services?.docker);

/** user-docker-ready means the user dockerd answers; what it loads and runs comes after, in stages of their own. */
export const waitUserDocker: Task = {
  name: 'user-docker',
  async run() {
    await waitForDocker(USER_DOCKER_SOCK, 180_000);
  },
  when: userDockerOn,
};

/** busybox and the other bundled user images, so `docker run busybox` works offline right after boot-complete. */
export const preloadUserImages: Task = {
  name: 'preload-user-images',
  async run(ctx) {
    const loaded = await ensureImages(userDocker(), USER_IMAGES_DIR);
    if (loaded.length > 0) ctx.log.info(`user images preloaded: ${loaded.join(', ')}`);
  },
  when: userDockerOn,
};

/** User-scope services, reconciled like the system ones (the user's own containers carry no ros label and are left alone). */
export const startUserServices: Task = {
  name: 'user-services',
  async run(ctx) {
    const all = ctx.services ?? enabledServices(ctx.config).services;
    const user = ofScope(all, 'user');
    const failed = (await upServices(userDocker(), user, ctx.log, { vars: serviceVars(ctx.config.rancher?.environment), prune: true, reached: reachedBefore(all, 'user') })).filter((o) => !o.ok);
    if (failed.length > 0) throw new Error(`user services failed: ${failed.map((o) => `${o.name} (${o.error})`).join(', ')}`);
  },
  when: userDockerOn,
};
