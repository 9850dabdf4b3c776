// `.aex` policy files: compiled (compileDocument) and turned into a permission layer.

import { compileDocument } from './compile-document.js';
import { layerFromIR } from './layer-from-ir.js';
import type { LoadedPolicy } from './types.js';

/** Loads `.aex` policy `file` (absolute, canonical); `referrer` is the policy extending it, if any. */
export async function loadAexPolicy(file: string, referrer?: string): Promise<LoadedPolicy> {
  const { ir, warnings } = await compileDocument(file, 'policy', referrer);
  return { layer: layerFromIR(ir, file), file, dependencies: [file], warnings, ir };
}
