// `aex init --claude-code`: adds `aex gate` as a PreToolUse hook to
// .claude/settings.json in the nested shape Claude Code reads (SPEC §7.2):
//   {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "aex gate"}]}]}}
// Existing settings and hooks are kept; nothing is written when the hook is already there.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonObject, writeAtomic, type InitResult } from '../init-files.js';

export const GATE_COMMAND = 'aex gate';
const REL = '.claude/settings.json';

function isGateCommand(cmd: unknown): boolean {
  return typeof cmd === 'string' && /(^|[\s/\\])aex(\.js)?["']?\s+gate(\s|$)/.test(cmd);
}

export function initClaudeCode(cwd: string): InitResult {
  const file = path.join(cwd, '.claude', 'settings.json');
  const settings = readJsonObject(file, REL) ?? {};
  const hooks = settings.hooks ?? {};
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`${REL}: "hooks" must be an object; left unchanged`);
  const h = hooks as Record<string, unknown>;
  const pre = h.PreToolUse ?? [];
  if (!Array.isArray(pre)) throw new Error(`${REL}: "hooks.PreToolUse" must be an array; left unchanged`);
  const present = pre.some((group) => {
    const inner = (group as { hooks?: unknown } | null)?.hooks;
    return Array.isArray(inner) && inner.some((x) => isGateCommand((x as { command?: unknown } | null)?.command));
  });
  if (present) {
    return { written: [], skipped: [], messages: [`✔ ${REL} already runs "aex gate" as a PreToolUse hook; left unchanged`] };
  }
  h.PreToolUse = [...pre, { matcher: '*', hooks: [{ type: 'command', command: GATE_COMMAND }] }];
  settings.hooks = h;
  mkdirSync(path.dirname(file), { recursive: true });
  writeAtomic(file, JSON.stringify(settings, null, 2) + '\n');
  const messages = [`✔ Added "aex gate" as a PreToolUse hook in ${REL}`];
  if (!existsSync(path.join(cwd, '.aex', 'policy.aex')) && !existsSync(path.join(cwd, 'aex.policy.aex'))) {
    messages.push('The gate denies every tool call until a policy exists (.aex/policy.aex; create one with aex init --policy).');
  }
  return { written: [REL], skipped: [], messages };
}
