// Which datasource instances this machine has already been configured for.
// Recorded on the state disk; in RAM every boot is a first boot.
import { existsSync } from 'node:fs';
import { atomicWrite } from '../../sys/atomic-write';

export const INSTANCES_DIR = '/var/lib/rancher/cloud-init/instances';

const fileOf = (id: string) => `${INSTANCES_DIR}/${id.replace(/[^A-Za-z0-9._-]/g, '_')}`;

export function instanceDone(id: string): boolean {
  return existsSync(fileOf(id));
}

export function markInstanceDone(id: string, source: string): void {
  atomicWrite(fileOf(id), `${JSON.stringify({ id, source, at: new Date().toISOString() })}\n`, 0o600);
}
