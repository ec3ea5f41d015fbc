// Errors are data: parsing and validation return diagnostics, never throw midway.
export interface Diagnostic {
  code: string;
  message: string;
  file: string;
  /** Dotted key path, '' for the document. */
  path: string;
  line?: number;
  column?: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  return `${where}: ${d.path ? `${d.path}: ` : ''}${d.message} [${d.code}]`;
}
