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

/** `file:line:column: [warning: ]path: message [code]`, as compilers print theirs. */
export function formatDiagnostic(d: Diagnostic, severity: 'error' | 'warning' = 'error'): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  return `${where}: ${severity === 'warning' ? 'warning: ' : ''}${d.path ? `${d.path}: ` : ''}${d.message} [${d.code}]`;
}
