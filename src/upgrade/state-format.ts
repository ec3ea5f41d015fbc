// The state disk carries the number of its format. A ros that finds a newer
// format than it reads (after a rollback past a migration) refuses to use it
// with a message and a way back, instead of misreading it. Bump STATE_FORMAT
// with any change older versions would misread, and say so in the release.

/** The state format this ros reads and writes. */
export const STATE_FORMAT = 1;

/** Pure: what to do with the format file's text (null: no file, a state from before formats were recorded). */
export function checkStateFormat(text: string | null, known = STATE_FORMAT): { write: number | null } | { error: string } {
  if (text === null) return { write: known };
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) return { error: `the state disk's format file holds ${JSON.stringify(text.trim().slice(0, 20))}, not a format number` };
  if (n > known) {
    return {
      error:
        `the state disk has format ${n}, written by a newer ros; this version reads format ${known} at most and does not touch it. ` +
        'Boot the newer version again: `ros os rollback` (here, in this shell) switches to the other boot slot, or pick it in the GRUB menu',
    };
  }
  return { write: n < known ? known : null };
}
