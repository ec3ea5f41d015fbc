// Turns a pino JSON record into the short line shown on the console:
//   [ros] stage storage (3/9): done in 412 ms
//   [ros] WARN task mount-state: failed: mount /var/lib/rancher (ext4, /dev/vda1): EBUSY
// Records flagged `raw: true` (milestones) are printed exactly as their message.
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: '', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

export function formatConsoleLine(json: string): string | null {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const msg = typeof rec.msg === 'string' ? rec.msg : '';
  if (rec.raw === true) return `${msg}\n`;
  const level = LEVELS[typeof rec.level === 'number' ? rec.level : 30] ?? '';
  const err = rec.err as { message?: string } | undefined;
  const tail = err?.message && !msg.includes(err.message) ? `: ${err.message}` : '';
  return `[ros] ${level ? `${level} ` : ''}${msg}${tail}\n`;
}
