// `aex init --gemini`: adds the gate to .gemini/settings.json as a BeforeTool command
// hook on every tool (the shape Gemini CLI reads):
//   {"hooks": {"BeforeTool": [{"matcher": ".*", "hooks": [{"type": "command", "name": "aex-gate", "command": "…", "timeout": 30000}]}]}}
// The command names node and bin/aex.js by absolute path and turns any failure into
// exit 2 (src/adapters/hook-command.ts), because Gemini CLI runs the tool when a hook fails
// any other way. Other settings (the MCP entries `aex init --mcp` writes) are kept.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonObject, type HostInitOptions, type InitResult } from '../init-files.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { gateHookCommand, isGateCommand } from '../hook-command.js';
import { policyMissingMessage, serveNotice } from '../init-messages.js';

const REL = '.gemini/settings.json';

export function initGemini(cwd: string, opts: HostInitOptions = {}): InitResult {
  const file = path.join(cwd, '.gemini', 'settings.json');
  const settings = readJsonObject(file, REL) ?? {};
  const hooks = settings.hooks ?? {};
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`${REL}: "hooks" must be an object; left unchanged`);
  const h = hooks as Record<string, unknown>;
  const before = h.BeforeTool ?? [];
  if (!Array.isArray(before)) throw new Error(`${REL}: "hooks.BeforeTool" must be an array; left unchanged`);
  const messages: string[] = [];
  if (opts.serve === true) messages.push(serveNotice('Gemini CLI'));
  const cfg = settings.hooksConfig as { enabled?: unknown } | undefined;
  const disabled = cfg !== undefined && cfg !== null && typeof cfg === 'object' && cfg.enabled === false;
  const present = before.some((group) => {
    const inner = (group as { hooks?: unknown } | null)?.hooks;
    return Array.isArray(inner) && inner.some((x) => isGateCommand((x as { command?: unknown } | null)?.command));
  });
  if (present && !disabled) {
    messages.push(`✔ ${REL} already runs the AEX gate as a BeforeTool hook; left unchanged`);
    return { written: [], skipped: [], messages };
  }
  const command = gateHookCommand('gemini');
  if (!present) {
    h.BeforeTool = [...before, { matcher: '.*', hooks: [{ type: 'command', name: 'aex-gate', command, timeout: 30000, description: 'AEX decides every tool call' }] }];
    settings.hooks = h;
  }
  // Hooks switched off in this file would leave every call unjudged.
  if (disabled) settings.hooksConfig = { ...(cfg as Record<string, unknown>), enabled: true };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n');
  messages.push(
    `✔ Added the AEX gate as a BeforeTool hook on every tool in ${REL}`,
    `  command: ${command}`,
    '  It names node and aex by absolute path (no PATH needed) and blocks the call if it cannot run: Gemini CLI runs a tool whose hook failed.',
    // Seen with Gemini CLI 0.61: project settings (and so this hook) load only in a trusted
    // folder, and `gemini -p --skip-trust` reads them before the flag trusts anything.
    '  Gemini CLI runs project hooks only in a trusted folder: trust this folder (it warns once about the new hook).',
    '  Headless runs: set GEMINI_CLI_TRUST_WORKSPACE=true; with --skip-trust Gemini CLI loads no project hook and no call is judged.',
  );
  if (disabled) messages.push(`  hooksConfig.enabled was false in ${REL}; it is now true.`);
  const missing = policyMissingMessage(cwd);
  if (missing !== undefined) messages.push(missing);
  return { written: [REL], skipped: [], messages };
}
