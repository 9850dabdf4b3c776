// The proxy's meta-tools, run inside the proxy: definitions (./meta/definitions.ts),
// checkpoints (./meta/checkpoints.ts) and the task list and review (./meta/tasks.ts).

import type { MetaContext } from './meta/context.js';
import type { MetaName } from './meta/definitions.js';
import { checkpoint, resume } from './meta/checkpoints.js';
import { listTasks, reviewTaskMeta } from './meta/tasks.js';

export type { MetaContext } from './meta/context.js';
export { META_NAMES, META_TOOL_DEFS, MetaToolError, advertisedName, metaNameOf, metaPatternAlias, type MetaName, type MetaToolDef } from './meta/definitions.js';
export { MAX_CHECKPOINTS, MAX_CHECKPOINT_BYTES } from './meta/checkpoints.js';
export { CallHistory, MAX_HISTORY_ENTRIES, type HistoryEntry } from './meta/history.js';

export async function runMetaTool(name: MetaName, args: Record<string, unknown>, ctx: MetaContext): Promise<unknown> {
  switch (name) {
    case 'aex.checkpoint':
      return checkpoint(args, ctx);
    case 'aex.resume':
      return resume(args, ctx);
    case 'aex.list_tasks':
      return listTasks(ctx);
    case 'aex.review_task':
      return reviewTaskMeta(args, ctx);
  }
}
