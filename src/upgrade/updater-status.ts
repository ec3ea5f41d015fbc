// The updater's status file on the state disk (effects): PID 1's updater
// writes it, `ros os upgrade --status` reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPDATER_STATUS } from '../config/paths';
import { atomicWrite } from '../sys/atomic-write';
import type { UpdaterStatus } from './updater';

export function readUpdaterStatus(stateRoot: string): UpdaterStatus | null {
  try {
    const s = JSON.parse(readFileSync(join(stateRoot, UPDATER_STATUS), 'utf8')) as Partial<UpdaterStatus>;
    return typeof s.state === 'string' && typeof s.detail === 'string' && typeof s.since === 'string' ? (s as UpdaterStatus) : null;
  } catch {
    return null;
  }
}

export function writeUpdaterStatus(stateRoot: string, s: UpdaterStatus): void {
  atomicWrite(join(stateRoot, UPDATER_STATUS), `${JSON.stringify(s, null, 2)}\n`);
}
