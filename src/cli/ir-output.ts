// The IR text `aex compile` writes: the document at the IR version asked for, checked against
// its published schema, printed as JSON. The command (src/cli/commands/compile.ts) and
// bench/compile.mjs both go through here, so the bench times what the command does.

import { toIRv0 } from '../compiler/ir-v0.js';
import { asIRv2, needsIRv2 } from '../compiler/lower.js';
import type { IRDocument } from '../ir/types.js';
import { validateIR, validateIRv0 } from '../ir/validate.js';
import { CliError } from './errors.js';

/** What --ir accepts; undefined is the lowest version that expresses the document. */
export type IrVersionOption = 'v0' | 'v1' | 'v2';

export const IR_VERSION_OPTIONS: readonly IrVersionOption[] = ['v0', 'v1', 'v2'];

/**
 * The JSON text (ending in a newline) of `ir` at `version`. Throws a CliError when an older
 * version cannot hold the document, and an internal Error when the output fails its schema.
 */
export function irOutput(ir: IRDocument, version: IrVersionOption | undefined, file: string): string {
  // docs/design.md#the-ir-contract: the compiler writes the lowest version that expresses the document;
  // an older version that cannot hold it is refused, never written lossily.
  if ((version === 'v1' || version === 'v0') && needsIRv2(ir)) {
    throw new CliError(
      `${file}: --ir ${version} cannot express this document (it uses command, host or URL qualifiers, where tests, segment wildcards or shell declarations); use --ir v2 or leave --ir out`,
    );
  }
  // Self-check: the compiler's output must satisfy the published schema.
  const doc = version === 'v0' ? toIRv0(ir) : version === 'v2' ? asIRv2(ir) : ir;
  const check = version === 'v0' ? validateIRv0(doc) : validateIR(doc);
  if (!check.valid) {
    const detail = check.errors.map((e) => `${e.path} ${e.message}`).join('; ');
    // A compiler bug, never the user's: reported through the internal-error path (exit 70).
    throw new Error(`compiled IR does not match its schema: ${detail}`);
  }
  // V8's own printer: faster than any printer written in JavaScript, pieces or whole.
  return JSON.stringify(doc, null, 2) + '\n';
}
