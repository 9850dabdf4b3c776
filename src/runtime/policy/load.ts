// Loading policies (docs/design.md#rules-and-permissions, docs/design.md#rules-and-permissions) and contracts as permission layers: `.aex` files
// through the compiler (aex-policy.ts, compile-document.ts), JSON policies through the
// published schema with their `extends` chains (json-policy.ts), discovery in the project
// root (discovery.ts), and the compiled-layer cache of `aex gate` (cache.ts). Any error
// diagnostic makes a policy unusable; every file is read with the bounded reader.
//
// Nothing heavy is imported statically: the compiler and ajv are loaded with dynamic
// import() only when a document actually has to be compiled or validated, so the gate
// can use loadPolicyLayerCached() without paying for either on a cache hit.

import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { IRDocument } from '../../ir/types.js';
import type { PermissionLayer } from '../../rules/types.js';
import { loadAexPolicy } from './aex-policy.js';
import { loadLayerCached } from './cache.js';
import { compileDocument, readPolicySource } from './compile-document.js';
import { loadJsonPolicy } from './json-policy.js';
import { layerFromIR } from './layer-from-ir.js';
import type { LoadedPolicy, LoadPolicyOptions } from './types.js';

export { MAX_EXTENDS_DEPTH } from './json-policy.js';
export { POLICY_DISCOVERY, discoverPolicy } from './discovery.js';
export { PolicyError, UNREADABLE_FILE_CODE } from './errors.js';
export { layerFromIR, policyProjectRoot } from './layer-from-ir.js';
export { compileDocument } from './compile-document.js';
export type { LoadedPolicy, LoadPolicyOptions } from './types.js';

/**
 * Loads a task contract as a permission layer (its `use`, `deny`, top-level confirm
 * rules and budget). Refuses a document with error diagnostics or a policy file.
 */
export async function loadTaskFile(file: string, opts: LoadPolicyOptions = {}): Promise<{ layer: PermissionLayer; ir: IRDocument; file: string; warnings: Diagnostic[] }> {
  const abs = path.resolve(opts.cwd ?? process.cwd(), file);
  const { ir, warnings } = await compileDocument(abs, 'task');
  return { layer: layerFromIR(ir, abs), ir, file: abs, warnings };
}

/**
 * Loads a policy: `.aex` by extension through the compiler, anything else as JSON.
 * Throws PolicyError for unreadable files (missing, not a regular file, over 1 MiB),
 * error diagnostics, task files, schema violations, malformed rules, `extends` cycles
 * and chains deeper than 16.
 */
export async function loadPolicyFile(file: string, opts: LoadPolicyOptions = {}): Promise<LoadedPolicy> {
  const abs = path.resolve(opts.cwd ?? process.cwd(), file);
  // Refuses a missing file, a FIFO, a device, a directory or a file over the limit, with its reason.
  readPolicySource(abs, 'policy');
  if (abs.endsWith('.aex')) {
    const loaded = await loadAexPolicy(realpathSync(abs));
    if (opts.root !== undefined) loaded.layer.root = path.resolve(opts.root);
    return loaded;
  }
  return loadJsonPolicy(abs, opts);
}

/**
 * Like loadPolicyFile(...).layer, but remembers the layer under `cacheDir` (the
 * project's state folder: policyCacheDirectory), keyed by the sha256 of the policy's
 * bytes plus its path and the cwd; an entry is used only when every file it was built
 * from still has the recorded hash. The compiler and ajv are imported (dynamically)
 * only on a miss.
 */
export function loadPolicyLayerCached(file: string, cacheDir: string, opts: LoadPolicyOptions = {}): Promise<PermissionLayer> {
  return loadLayerCached('policy', file, cacheDir, opts, async (abs, o) => {
    const loaded = await loadPolicyFile(abs, { cwd: o.cwd, ...(o.root !== undefined ? { root: o.root } : {}) });
    return { layer: loaded.layer, dependencies: loaded.dependencies };
  });
}

/** The task-contract counterpart of loadPolicyLayerCached (used with `--contract`). */
export function loadTaskLayerCached(file: string, cacheDir: string, opts: LoadPolicyOptions = {}): Promise<PermissionLayer> {
  return loadLayerCached('task', file, cacheDir, opts, async (abs, o) => ({ layer: (await loadTaskFile(abs, { cwd: o.cwd })).layer, dependencies: [] }));
}
