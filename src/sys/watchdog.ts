// The hardware watchdog (/dev/watchdog; i6300esb in QEMU). Once opened it
// resets the machine unless written to within its timeout (30 s for
// i6300esb); writing "V" before closing disarms it (the "magic close").
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
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
    // Never 'w': without a driver that would create /dev/watchdog as a plain file and "arm" it.
    fd = openSync('/dev/watchdog', constants.O_WRONLY);
  } catch {
    return null;
  }
  if (!fstatSync(fd).isCharacterDevice()) {
    closeSync(fd);
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
