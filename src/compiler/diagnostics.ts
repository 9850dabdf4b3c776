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
  const line = text.replace(/\t/g, ' ');
  const caretCol = Math.max(1, Math.min(d.column, line.length + 1));
  const width = d.endLine === d.line && d.endColumn && d.endColumn > d.column ? Math.min(d.endColumn - d.column, line.length + 1 - caretCol) : 1;
  // A line too long to read whole is shown around the column, cut with "…" where it goes on.
  let shown = line;
  let at = caretCol;
  let caretWidth = Math.max(1, width);
  if (line.length > SHOWN_WIDTH) {
    const start = Math.max(0, Math.min(caretCol - 1 - SHOWN_BEFORE, line.length - SHOWN_WIDTH));
    const end = Math.min(line.length, start + SHOWN_WIDTH);
    const before = start > 0 ? '…' : '';
    shown = before + line.slice(start, end) + (end < line.length ? '…' : '');
    at = caretCol - start + before.length;
    caretWidth = Math.max(1, Math.min(caretWidth, end + 1 - (caretCol - 1) - 1));
  }
  return `${head}\n  ${shown}\n  ${' '.repeat(at - 1)}${'^'.repeat(caretWidth)}`;
}

/** Longest source line shown whole under a diagnostic; a longer one is cut around the column. */
const SHOWN_WIDTH = 160;
/** How much of a cut line is kept before the column. */
const SHOWN_BEFORE = 60;
