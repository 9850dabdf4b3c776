// `aex init --codex`: adds the gate to .codex/hooks.json as a PreToolUse command hook on
// every tool (the file shape Codex reads next to its config layers):
//   {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "…", "timeout": 30}]}]}}
// The command names node and bin/aex.js by absolute path and turns any failure into
// exit 2 (src/adapters/hook-command.ts), because Codex runs the tool when a hook fails.
// MCP proxy entries in .codex/config.toml are `aex init --mcp`'s. Existing hooks are kept;
// nothing is written when the gate is already there.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonObject, type HostInitOptions, type InitResult } from '../init-files.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { gateHookCommand, isGateCommand } from '../hook-command.js';
import { policyMissingMessage, serveNotice } from '../init-messages.js';

const REL = '.codex/hooks.json';

export function initCodex(cwd: string, opts: HostInitOptions = {}): InitResult {
  const file = path.join(cwd, '.codex', 'hooks.json');
  const config = readJsonObject(file, REL) ?? {};
  const hooks = config.hooks ?? {};
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`${REL}: "hooks" must be an object; left unchanged`);
  const h = hooks as Record<string, unknown>;
  const pre = h.PreToolUse ?? [];
  if (!Array.isArray(pre)) throw new Error(`${REL}: "hooks.PreToolUse" must be an array; left unchanged`);
  const messages: string[] = [];
  if (opts.serve === true) messages.push(serveNotice('Codex'));
  const present = pre.some((group) => {
    const inner = (group as { hooks?: unknown } | null)?.hooks;
    return Array.isArray(inner) && inner.some((x) => isGateCommand((x as { command?: unknown } | null)?.command));
  });
  if (present) {
    messages.push(`✔ ${REL} already runs the AEX gate as a PreToolUse hook; left unchanged`);
    return { written: [], skipped: [], messages };
  }
  const command = gateHookCommand('codex');
  h.PreToolUse = [...pre, { matcher: '*', hooks: [{ type: 'command', command, timeout: 30, statusMessage: 'AEX: checking the call' }] }];
  config.hooks = h;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n');
  messages.push(
    `✔ Added the AEX gate as a PreToolUse hook on every tool in ${REL}`,
    `  command: ${command}`,
    '  It names node and aex by absolute path (no PATH needed) and blocks the call if it cannot run: Codex runs a tool whose hook failed.',
    '  Codex runs project hooks only in a trusted project, after their definition is reviewed: trust this folder and approve the hook in Codex (/hooks) once.',
  );
  const missing = policyMissingMessage(cwd);
  if (missing !== undefined) messages.push(missing);
  return { written: [REL], skipped: [], messages };
}
