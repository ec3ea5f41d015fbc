// After the boot: keep system-docker alive. If it dies, restart it with
// backoff and bring the system services back.
import type { BootContext } from './context';
import { shutdownInProgress } from './shutdown';
import { startSystemDocker, waitSystemDocker } from './system-docker';
import { startSystemServices } from './stages/docker';
import { daemonConfig } from '../services/docker-daemon';

const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];

export function superviseSystemDocker(ctx: BootContext): void {
  let failures = 0;
  const watch = () => {
    const proc = ctx.systemDocker;
    if (!proc) return;
    void proc.exited.then(async ({ code, signal }) => {
      if (shutdownInProgress()) return;
      const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 30000;
      failures++;
      ctx.log.error(`system-docker exited (code ${code}, signal ${signal}); restarting in ${delay / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
      if (shutdownInProgress()) return;
      try {
        ctx.systemDocker = startSystemDocker(daemonConfig(ctx.config.rancher, 'system_docker'), ctx.env);
        watch();
        await waitSystemDocker(ctx.systemDocker, 120_000);
        await startSystemServices.run(ctx);
        ctx.log.info('system-docker restarted; system services are back');
        failures = 0;
      } catch (err) {
        ctx.log.error(`system-docker restart: ${(err as Error).message}`);
      }
    });
  };
  watch();
}
