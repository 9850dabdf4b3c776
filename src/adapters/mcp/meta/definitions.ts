// The proxy's meta-tools: the capabilities aex.checkpoint, aex.resume, aex.list_tasks and
// aex.review_task, advertised as aex_… (several MCP clients reject dots in tool names).
// Both spellings are accepted in tools/call and in policies.

import { AexError } from '../../../errors.js';
export type MetaName = 'aex.checkpoint' | 'aex.resume' | 'aex.list_tasks' | 'aex.review_task';

export const META_NAMES: readonly MetaName[] = ['aex.checkpoint', 'aex.resume', 'aex.list_tasks', 'aex.review_task'];

// A Map, not an object literal: `constructor` or `__proto__` must not look like a meta-tool.
const BY_SPELLING = new Map<string, MetaName>(META_NAMES.flatMap((m) => [[m, m] as [string, MetaName], [advertisedName(m), m] as [string, MetaName]]));

/** The meta-tool a tool name (either spelling) is, if any. */
export function metaNameOf(name: string): MetaName | undefined {
  return BY_SPELLING.get(name);
}

export function advertisedName(name: MetaName): string {
  return name.replace('.', '_');
}

export interface MetaToolDef {
  canonical: MetaName;
  tool: Record<string, unknown>;
}

export const META_TOOL_DEFS: readonly MetaToolDef[] = [
  {
    canonical: 'aex.checkpoint',
    tool: {
      name: 'aex_checkpoint',
      title: 'Save an AEX checkpoint',
      description: 'Save the AEX enforcement state (budget used, call history, audit since the previous checkpoint) under .aex/checkpoints/NAME/.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', description: 'Checkpoint name (letters, digits, _ and -).' },
          description: { type: 'string', description: 'What this checkpoint is for.' },
        },
        required: ['name'],
      },
      // Saving under an existing name replaces that checkpoint.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
  },
  {
    canonical: 'aex.resume',
    tool: {
      name: 'aex_resume',
      title: 'Resume from an AEX checkpoint',
      description: 'Resume from a saved AEX checkpoint. The budget already used never goes down.',
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Checkpoint name.' },
          force: { type: 'boolean', description: 'Resume even if the checkpoint was saved under a different budget.' },
        },
        required: ['name'],
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
  },
  {
    canonical: 'aex.list_tasks',
    tool: {
      name: 'aex_list_tasks',
      title: 'List AEX tasks',
      description: 'List task contracts (tasks/*.aex), generated runs (.aex/runs/*.aex) and checkpoints.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
  },
  {
    canonical: 'aex.review_task',
    tool: {
      name: 'aex_review_task',
      title: 'Review an AEX task contract',
      description: 'Review an .aex task contract inside the working directory against the active policy.',
      inputSchema: {
        type: 'object',
        properties: { task: { type: 'string', description: 'Path of the .aex file, relative to the working directory.' } },
        required: ['task'],
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
  },
];

/** Rules may name a meta-tool by its advertised spelling: `aex_checkpoint` also names `aex.checkpoint`. */
export function metaPatternAlias(pattern: string): string | undefined {
  const m = metaNameOf(pattern);
  return m !== undefined && m !== pattern ? m : undefined;
}

export class MetaToolError extends AexError {
  override name = 'MetaToolError';
}
