// GRUB's environment block (boot/grub/grubenv): exactly 1024 bytes, a header
// line, `name=value` lines, '#' padding. GRUB's `save_env` rewrites those
// blocks in place, and so does ros (src/upgrade/slot-files.ts): every ros
// variable is kept in the first 512 bytes, so one update is one sector
// write, which a power cut cannot tear. docs/architecture.md, "The GRUB
// environment protocol".

export const GRUBENV_SIZE = 1024;
const HEADER = '# GRUB Environment Block\n';
/** What one atomic sector write covers. */
export const GRUBENV_ATOMIC = 512;

/** Pure: the variables of an environment block (GRUB's escapes are not used by ros and are refused). */
export function parseGrubenv(block: Buffer): Record<string, string> | { error: string } {
  if (block.length !== GRUBENV_SIZE) return { error: `the GRUB environment block is ${block.length} bytes, not ${GRUBENV_SIZE}` };
  const text = block.toString('latin1');
  if (!text.startsWith(HEADER)) return { error: 'the GRUB environment block has no header' };
  const vars: Record<string, string> = {};
  for (const line of text.slice(HEADER.length).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `the GRUB environment block has a line without "=": ${JSON.stringify(line.slice(0, 40))}` };
    vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return vars;
}

/** Pure: the block holding `vars` (sorted, so equal variables give equal bytes). Throws if they do not fit one sector. */
export function encodeGrubenv(vars: Record<string, string>): Buffer {
  let body = HEADER;
  for (const name of Object.keys(vars).sort()) {
    const value = vars[name] ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /[\\\n]/.test(value)) throw new Error(`GRUB variable ${name}=${JSON.stringify(value)} needs escaping; ros writes only plain ones`);
    body += `${name}=${value}\n`;
  }
  if (Buffer.byteLength(body, 'latin1') > GRUBENV_ATOMIC) throw new Error(`the GRUB variables take ${body.length} bytes; ros keeps them within ${GRUBENV_ATOMIC} so an update is one sector`);
  return Buffer.from(body.padEnd(GRUBENV_SIZE, '#'), 'latin1');
}
