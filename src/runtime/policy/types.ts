// Shapes shared by the policy loaders.

import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { IRDocument } from '../../ir/types.js';
import type { PermissionLayer } from '../../rules/types.js';

export interface LoadPolicyOptions {
  /** Working directory: relative globs are resolved against it when intersecting allow lists. */
  cwd?: string;
  /** Project root of the policy (`--root DIR`, docs/paths.md); default: policyProjectRoot(file). */
  root?: string;
}

export interface LoadedPolicy {
  layer: PermissionLayer;
  /** Absolute path of the policy file. */
  file: string;
  /** Every file the layer was built from (the policy and its `extends` chain). */
  dependencies: string[];
  /** Warnings reported by the compiler (`.aex` only). */
  warnings: Diagnostic[];
  ir?: IRDocument;
}
