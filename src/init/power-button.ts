// The ACPI power button (QEMU `system_powerdown`) means a clean poweroff.
// PID 1 reads the input device itself: no acpid needed for the one event
// that matters.
import { watchPowerButtons } from '../sys/input';
import type { BootContext } from './context';
import { shutdown } from './shutdown';

export function watchPowerButton(ctx: BootContext): void {
  const devices = watchPowerButtons(
    () => void shutdown(ctx, 'poweroff', 'power-button').catch((err: Error) => ctx.log.error(`shutdown: ${err.message}`)),
    (device, err) => ctx.log.warn(`power button ${device}: ${err.message}`),
  );
  if (devices.length === 0) ctx.log.warn('no ACPI power button found: system_powerdown will not shut down');
  else ctx.log.debug(`watching power button: ${devices.join(', ')}`);
}
