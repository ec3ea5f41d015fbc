// The last resort: a root busybox shell on the console, respawned forever.
// PID 1 never exits (the kernel would panic), so this is where a fatal boot ends.
import type { Logger } from '../log/logger';
import { spawnOwned } from './children';

export function recoveryShell(log: Logger, why: string): void {
  const banner = [
    '',
    '*** ros recovery shell ***',
    `reason: ${why}`,
    'boot log: /var/log/ros/init.log   system-docker log: /var/log/system-docker.log',
    'type `reboot` or `poweroff` when done',
    '',
  ].join('\n');
  const start = () => {
    try {
      process.stdout.write(`${banner}\n`);
    } catch {
      /* console gone */
    }
    // cttyhack reopens the real console tty so the shell gets job control.
    const child = spawnOwned('/bin/busybox', ['setsid', 'cttyhack', 'sh', '-l'], { stdio: 'inherit', env: process.env });
    child.once('exit', () => setTimeout(start, 1000));
    child.once('error', (err) => {
      log.error(`recovery shell: ${err.message}`);
      setTimeout(start, 5000);
    });
  };
  start();
}
