// `aex init --cursor`: adds the gate to .cursor/hooks.json for the four events that come
// before a tool runs (beforeShellExecution, beforeMCPExecution, beforeReadFile,
// preToolUse), each with failClosed: true so that a hook which cannot run, times out or
// answers nonsense blocks the call instead of letting it through:
//   {"version": 1, "hooks": {"preToolUse": [{"command": "…", "timeout": 30, "failClosed": true}], …}}
// The command names node and bin/aex.js by absolute path (src/adapters/hook-command.ts).
// A shell command is seen by both preToolUse and beforeShellExecution and judged by both.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonObject, type HostInitOptions, type InitResult } from '../init-files.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { gateHookCommand, isGateCommand } from '../hook-command.js';
import { policyMissingMessage, serveNotice } from '../init-messages.js';
import { CURSOR_EVENTS } from './protocol.js';

const REL = '.cursor/hooks.json';

export function initCursor(cwd: string, opts: HostInitOptions = {}): InitResult {
  const file = path.join(cwd, '.cursor', 'hooks.json');
  const config = readJsonObject(file, REL) ?? {};
  if (config.version === undefined) config.version = 1;
  const hooks = config.hooks ?? {};
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`${REL}: "hooks" must be an object; left unchanged`);
  const h = hooks as Record<string, unknown>;
  const messages: string[] = [];
  if (opts.serve === true) messages.push(serveNotice('Cursor'));
  const command = gateHookCommand('cursor');
  let changed = false;
  for (const event of CURSOR_EVENTS) {
    const list = h[event] ?? [];
    if (!Array.isArray(list)) throw new Error(`${REL}: "hooks.${event}" must be an array; left unchanged`);
    const ours = list.filter((e) => isGateCommand((e as { command?: unknown } | null)?.command));
    if (ours.length === 0) {
      h[event] = [...list, { command, timeout: 30, failClosed: true }];
      changed = true;
      continue;
    }
    // An AEX entry without failClosed would let a failing hook through: turn it on.
    for (const e of ours as Array<Record<string, unknown>>) {
      if (e.failClosed !== true) {
        e.failClosed = true;
        changed = true;
      }
    }
  }
  if (!changed) {
    messages.push(`✔ ${REL} already runs the AEX gate, failClosed, on ${CURSOR_EVENTS.join(', ')}; left unchanged`);
    return { written: [], skipped: [], messages };
  }
  config.hooks = h;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n');
  messages.push(
    `✔ Added the AEX gate to ${REL} on ${CURSOR_EVENTS.join(', ')}, each with failClosed: true`,
    `  command: ${command}`,
    '  It names node and aex by absolute path (no PATH needed); failClosed makes Cursor block a call whose hook cannot run.',
  );
  const missing = policyMissingMessage(cwd);
  if (missing !== undefined) messages.push(missing);
  return { written: [REL], skipped: [], messages };
}
