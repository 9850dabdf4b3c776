// Compiling one `.aex` document for enforcement: the file is read with the bounded
// reader (no FIFO, device, directory or file over 1 MiB), compiled, and refused when it
// has any error diagnostic or is of the other kind (a task where a policy is expected,
// or the reverse).
//
// The compiler and ajv are loaded with dynamic import() only when a document actually
// has to be compiled or validated, so the gate pays for neither on a cache hit.

import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { IRDocument } from '../../ir/types.js';
import type { RuleKeyword, RuleSpec } from '../../rules/types.js';
import { BoundedReadError, readBoundedBytes } from '../../io/bounded-read.js';
import { PolicyError, unreadableFileError } from './errors.js';

/** The part of src/compiler/index.ts that the loaders rely on. */
export interface CompilerModule {
  compileSource(text: string, opts?: { path?: string }, bytesHash?: string): { ir: IRDocument | null; diagnostics: Diagnostic[]; ok: boolean };
  sha256Hex(data: string | Buffer): string;
  parseRuleText(text: string, keyword?: RuleKeyword): { rule?: RuleSpec; diagnostics: Diagnostic[] };
}

export interface ValidateModule {
  validatePolicyJson(doc: unknown): { valid: boolean; errors: Array<{ path: string; message: string }> };
}

// Specifiers kept in variables so TypeScript does not resolve them at build time and
// the modules are loaded only on demand.
const COMPILER_MODULE = '../../compiler/index.js';
const VALIDATE_MODULE = '../../ir/validate.js';

export async function loadCompiler(): Promise<CompilerModule> {
  try {
    return (await import(COMPILER_MODULE)) as CompilerModule;
  } catch (err) {
    throw new PolicyError(`cannot load the AEX compiler to read .aex policies: ${(err as Error).message}`);
  }
}

export async function loadValidator(): Promise<ValidateModule> {
  return (await import(VALIDATE_MODULE)) as ValidateModule;
}

/** Reads a file a policy or contract is built from; refusals become AEX131 PolicyErrors. */
export function readPolicySource(file: string, what: string, referrer?: string, sayNotFound = true): Buffer {
  try {
    return readBoundedBytes(file, { what });
  } catch (err) {
    if (err instanceof BoundedReadError) throw unreadableFileError(err, what, referrer, sayNotFound);
    throw err;
  }
}

export interface CompiledDocument {
  ir: IRDocument;
  warnings: Diagnostic[];
}

const NOUN = { policy: 'policy', task: 'contract' } as const;

/**
 * Compiles `.aex` document `file` (absolute) as a `kind`. Throws PolicyError when it
 * cannot be read, has error diagnostics, or is not a `kind`.
 */
export async function compileDocument(file: string, kind: 'policy' | 'task', referrer?: string): Promise<CompiledDocument> {
  const bytes = readPolicySource(file, NOUN[kind], referrer);
  const compiler = await loadCompiler();
  let result: ReturnType<CompilerModule['compileSource']>;
  try {
    result = compiler.compileSource(bytes.toString('utf8'), { path: file }, compiler.sha256Hex(bytes));
  } catch (err) {
    throw new PolicyError(`cannot compile ${NOUN[kind]} ${file}: ${(err as Error).message}`, { file });
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ok || !result.ir || errors.length > 0) {
    const first = errors[0];
    const where = first ? `${file}:${first.line}:${first.column}: ${first.code}: ${first.message}` : `${file}: ${NOUN[kind]} could not be compiled`;
    const more = kind === 'policy' && errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    throw new PolicyError(`${where}${more}`, {
      file,
      ...(first ? { line: first.line, column: first.column } : {}),
      diagnostics: result.diagnostics.map((d) => ({ ...d, file: d.file ?? file })),
    });
  }
  if (result.ir.kind !== kind) {
    const text =
      kind === 'policy'
        ? `${file} is a task contract, not a policy (its header is "task ${result.ir.name}").`
        : `${file} is a policy, not a task contract (its header is "policy ${result.ir.name}").`;
    throw new PolicyError(text, { file, line: 1, column: 1 });
  }
  return { ir: result.ir, warnings: result.diagnostics.filter((d) => d.severity !== 'error') };
}
