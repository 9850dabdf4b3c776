import { SYNTAX_CODES, type Diagnostic } from './diagnostics.js';
import { format } from './format.js';
import { parse } from './parser.js';
import { validate } from './validate/index.js';

export interface FormatSourceResult {
  /** The canonical text, or null when the source has errors that printing would lose. */
  output: string | null;
  /** The errors that stopped formatting (empty when `output` is text). */
  blocking: Diagnostic[];
}

/** Formats source text (what `aex fmt` writes); refuses text with syntax errors. Never throws. */
export function formatSource(text: string): FormatSourceResult {
  const parsed = parse(text);
  // Any statement that did not parse would be lost by printing the tree, so fmt refuses
  // a file with any parser error: the syntax codes, AEX040 for a condition that is not
  // in the language, AEX014 for a rule whose qualifier or where clause cannot be read.
  const blocking = [
    ...parsed.diagnostics.filter((d) => d.severity === 'error'),
    ...validate(parsed.doc).filter((d) => d.severity === 'error' && (SYNTAX_CODES.has(d.code) || d.code === 'AEX001')),
  ];
  if (blocking.length) return { output: null, blocking };
  return { output: format(parsed.doc), blocking: [] };
}
