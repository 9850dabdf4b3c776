// What a meta-tool may see and change of the proxy session.

import type { EffectivePermissions, PermissionLayer } from '../../../rules/types.js';
import type { CheckpointWindow } from '../audit.js';
import type { CallBudget } from '../budget.js';
import type { CallHistory } from './history.js';

export interface MetaContext {
  cwd: string;
  perms: EffectivePermissions;
  policy: PermissionLayer;
  /** The policy file the proxy loaded (aex.review_task reviews against it). */
  policyFile?: string;
  budget: CallBudget;
  history: CallHistory;
  audit: { sinceCheckpoint(): CheckpointWindow; markCheckpoint(): void };
}
