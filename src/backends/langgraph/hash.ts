// The identity of what a thread runs: the contract's IR (without its source path, so a
// moved file with the same program still matches) and the effective permissions. A
// thread started under one identity must never be continued under another.

import { createHash } from 'node:crypto';
import type { IRDocument } from '../../ir/types.js';
import type { EffectivePermissions } from '../../rules/types.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the IR without `source` (the program, its needs, permissions and budget). */
export function irHash(ir: IRDocument): string {
  const { source: _source, ...program } = ir;
  return sha256(JSON.stringify(program));
}

/**
 * sha256 of the effective permissions (both layers' rules, unions, budget, cwd). Where a
 * rule was written (`origin`, a source's or layer's `file`, a layer's `files`) is left
 * out: the same rules reached by another path (`pay.aex` or its absolute path) are the
 * same permissions.
 */
const WHERE_WRITTEN = new Set(['origin', 'file', 'files']);

export function permsHash(perms: EffectivePermissions): string {
  return sha256(JSON.stringify(perms, (key, value: unknown) => (WHERE_WRITTEN.has(key) ? undefined : value)));
}

/** The identity stored in a thread's state: contract and permissions together. */
export function threadIdentity(ir: IRDocument, perms: EffectivePermissions): string {
  return sha256(`${irHash(ir)}:${permsHash(perms)}`);
}
