// The hardware watchdog (/dev/watchdog; i6300esb in QEMU). Once opened it
// resets the machine unless written to within its timeout (30 s for
// i6300esb); writing "V" before closing disarms it (the "magic close").
import { closeSync, openSync, writeSync } from 'node:fs';
import { release } from 'node:os';
import { loadModules } from './modules';

export interface Watchdog {
  pet(): void;
  disarm(): void;
}

/** Loads the drivers ros ships and opens the device; null when the machine has none. */
export function openWatchdog(drivers: string[] = ['i6300esb']): Watchdog | null {
  loadModules(release(), drivers);
  let fd: number;
  try {
    fd = openSync('/dev/watchdog', 'w');
  } catch {
    return null;
  }
  return {
    pet: () => void writeSync(fd, '.'),
    disarm: () => {
      writeSync(fd, 'V');
      closeSync(fd);
    },
  };
}
