// Rendering tables and JSON for read-only commands.
export interface Out {
  write(text: string): void;
}

export const stdout: Out = { write: (t) => void process.stdout.write(t) };

export function table(rows: string[][], out: Out): void {
  if (rows.length === 0) return;
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) {
    out.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('   ')}\n`);
  }
}

export function json(value: unknown, out: Out): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
