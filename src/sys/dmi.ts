// The firmware's identity strings (SMBIOS, /sys/class/dmi/id): how a VM tells
// which cloud it runs on before any network request.
import { readFileSync } from 'node:fs';

const DMI_DIR = '/sys/class/dmi/id';
const FIELDS = ['sys_vendor', 'product_name', 'product_version', 'product_serial', 'product_uuid', 'bios_vendor', 'bios_version', 'board_vendor', 'chassis_vendor', 'chassis_asset_tag'] as const;

/** `/sys/class/dmi/id/<field>` contents, trimmed; missing fields are absent. */
export type Dmi = Partial<Record<(typeof FIELDS)[number], string>>;

export function readDmi(dir = DMI_DIR): Dmi {
  const dmi: Dmi = {};
  for (const f of FIELDS) {
    try {
      const v = readFileSync(`${dir}/${f}`, 'utf8').trim();
      if (v) dmi[f] = v;
    } catch {
      /* absent (no DMI on this platform) or root-only */
    }
  }
  return dmi;
}
