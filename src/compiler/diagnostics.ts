// One diagnostic type for the whole toolchain (docs/design.md#diagnostics).

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Codes that mean the text could not be read as AEX at all (fmt refuses these). */
export const SYNTAX_CODES = new Set(['AEX100', 'AEX101', 'AEX102', 'AEX103']);

export function diag(
  code: string,
  severity: Severity,
  message: string,
  line: number,
  column: number,
  end?: { line: number; column: number },
): Diagnostic {
  const d: Diagnostic = { code, severity, message, line, column };
  if (end) {
    d.endLine = end.line;
    d.endColumn = end.column;
  }
  return d;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.d.code.localeCompare(b.d.code) || a.i - b.i)
    .map((x) => x.d);
}

export function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

// The lines of the source last formatted: callers format every diagnostic of one document
// in a row, and splitting a long document once per diagnostic made printing thousands of
// them take seconds.
let splitSource: string | undefined;
let splitLines: string[] = [];

function sourceLines(source: string): string[] {
  if (source !== splitSource) {
    splitLines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    splitSource = source;
  }
  return splitLines;
}

/**
 * `PATH:LINE:COL: error AEX010: message`, then the source line and a caret under the
 * column (when the line exists in the given source).
 */
export function formatDiagnostic(d: Diagnostic, source?: string, path?: string): string {
  const file = path ?? d.file ?? '<input>';
  const head = `${file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
  if (source === undefined || d.line < 1) return head;
  const text = sourceLines(source)[d.line - 1];
  if (text === undefined) return head;
  const shown = text.replace(/\t/g, ' ');
  const caretCol = Math.max(1, Math.min(d.column, shown.length + 1));
  const width = d.endLine === d.line && d.endColumn && d.endColumn > d.column ? Math.min(d.endColumn - d.column, shown.length + 1 - caretCol) : 1;
  return `${head}\n  ${shown}\n  ${' '.repeat(caretCol - 1)}${'^'.repeat(Math.max(1, width))}`;
}
