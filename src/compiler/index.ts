import { createHash } from 'node:crypto';
import { readBoundedBytes } from '../io/bounded-read.js';
import type { IRDocument } from '../ir/types.js';
import type { PermissionLayer } from '../rules/types.js';
import type { DocumentNode } from './ast.js';
import { hasErrors, sortDiagnostics, SYNTAX_CODES, type Diagnostic } from './diagnostics.js';
import { lower } from './lower.js';
import { parse } from './parser.js';
import { validate } from './validate/index.js';

export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic, hasErrors, sortDiagnostics } from './diagnostics.js';
export { parseRuleText, type ParsedRuleText } from './rule-text.js';
export { formatSource, type FormatSourceResult } from './format-source.js';

export interface CompileOptions {
  /** Path recorded in diagnostics and in `ir.source`. */
  path?: string;
  /** Active policy: enables AEX015 (task requests the policy does not permit). */
  policy?: PermissionLayer;
}

export interface CompileResult {
  /** null only when the text could not be parsed into a document. */
  ir: IRDocument | null;
  /** Sorted by position; carry `file` when a path was given. */
  diagnostics: Diagnostic[];
  /** No error diagnostics. Enforcement must refuse a document that is not ok. */
  ok: boolean;
  ast: DocumentNode;
  /** The normalised source text (BOM removed, LF line ends). */
  text: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses, validates and lowers one document. Never throws for any input text. */
export function compileSource(text: string, opts: CompileOptions = {}, bytesHash?: string): CompileResult {
  const parsed = parse(text);
  const diagnostics = [...parsed.diagnostics, ...validate(parsed.doc, { policy: opts.policy })];
  const sorted = sortDiagnostics(dedupe(diagnostics));
  if (opts.path !== undefined) for (const d of sorted) d.file = opts.path;
  const syntaxBroken = sorted.some((d) => SYNTAX_CODES.has(d.code) && d.severity === 'error') || sorted.some((d) => d.code === 'AEX001');
  const source = opts.path !== undefined ? { path: opts.path, sha256: bytesHash ?? sha256Hex(text) } : undefined;
  const ir = syntaxBroken ? null : lower(parsed.doc, source);
  return { ir, diagnostics: sorted, ok: !hasErrors(sorted) && ir !== null, ast: parsed.doc, text: parsed.text };
}

/**
 * Reads a file and compiles it; `ir.source.sha256` is the hash of the exact bytes. I/O
 * errors throw, and so does anything but a regular file of at most 1 MiB (a FIFO would
 * hang the reader, a device would never end).
 */
export function compileFile(path: string, opts: Omit<CompileOptions, 'path'> & { displayPath?: string } = {}): CompileResult {
  const bytes = readBoundedBytes(path, { what: 'source file' });
  const text = bytes.toString('utf8');
  return compileSource(text, { ...opts, path: opts.displayPath ?? path }, sha256Hex(bytes));
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}:${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
