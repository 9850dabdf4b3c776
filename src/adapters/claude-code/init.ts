// `aex init --claude-code`: adds the gate as a PreToolUse hook to .claude/settings.json in
// the nested shape Claude Code reads:
//   {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": …}]}]}}
//
// Installed fail-closed (docs/hosts.md, "Installation"): Claude Code runs a tool when a
// command hook exits with anything but 0 or 2, so a hook that cannot start (`aex` not on
// PATH, node gone) would let every call through. The command therefore names node and
// bin/aex.js by absolute path, and ends in `|| exit 2`, so whatever keeps the gate from
// answering — even the shell not finding node — blocks the call. Claude Code 2.1.197 has no
// `onFailure` setting for hooks; `|| exit 2` is its equivalent.
//
// `--serve` wires the hook to a running `aex serve` through the gate's thin client
// (`aex gate --server URL`), which blocks when the server is unreachable. Claude Code's own
// `http` hooks can call `aex serve` directly too (POST /hook/claude-code), but this client
// treats an unreachable http hook as a non-blocking error, so init does not install one.
// Existing settings and hooks are kept; an older gate hook is replaced by the fail-closed one.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonObject, type InitResult } from '../init-files.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { DEFAULT_LISTEN, defaultTokenFile } from '../serve-defaults.js';

const REL = '.claude/settings.json';

/** bin/aex.js of this installation (this file is dist/adapters/claude-code/init.js). */
export function aexBin(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'aex.js');
}

/** One shell word: single-quoted, so spaces and `$` in a path stay literal. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface GateCommandOptions {
  serve?: boolean;
  host?: string;
  node?: string;
  bin?: string;
  env?: NodeJS.ProcessEnv;
}

/** The hook command: absolute node, absolute bin/aex.js, and a blocking exit on any failure. */
export function gateCommand(opts: GateCommandOptions = {}): string {
  const words = [opts.node ?? process.execPath, opts.bin ?? aexBin(), 'gate'].map((w, i) => (i === 2 ? w : shellQuote(w)));
  if (opts.host !== undefined && opts.host !== 'claude-code') words.push('--host', opts.host);
  if (opts.serve) words.push('--server', `http://${DEFAULT_LISTEN}`, '--token-file', shellQuote(defaultTokenFile(opts.env)));
  return `${words.join(' ')} || exit 2`;
}

/** Whether a hook command runs `aex gate` (bare, through bin/aex.js, or quoted). */
export function isGateCommand(cmd: unknown): boolean {
  return typeof cmd === 'string' && /(^|[\s/\\'"])aex(\.js)?["']?\s+gate(\s|$)/.test(cmd);
}

interface CommandHook {
  type?: unknown;
  command?: unknown;
}

export function initClaudeCode(cwd: string, opts: { serve?: boolean } = {}): InitResult {
  const file = path.join(cwd, '.claude', 'settings.json');
  const settings = readJsonObject(file, REL) ?? {};
  const hooks = settings.hooks ?? {};
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`${REL}: "hooks" must be an object; left unchanged`);
  const h = hooks as Record<string, unknown>;
  const pre = h.PreToolUse ?? [];
  if (!Array.isArray(pre)) throw new Error(`${REL}: "hooks.PreToolUse" must be an array; left unchanged`);
  const command = gateCommand({ serve: opts.serve === true });
  const gateHooks: CommandHook[] = [];
  for (const group of pre) {
    const inner = (group as { hooks?: unknown } | null)?.hooks;
    if (Array.isArray(inner)) for (const x of inner as CommandHook[]) if (x !== null && typeof x === 'object' && isGateCommand(x.command)) gateHooks.push(x);
  }
  const why = [
    `  command: ${command}`,
    '  It names node and bin/aex.js by absolute path, so it works without aex on PATH, and ends in',
    '  "|| exit 2", so a gate that cannot start blocks the call instead of letting it run.',
    ...(opts.serve ? ['  It asks a running `aex serve` (start it with: aex serve); while none answers, calls are blocked.'] : []),
  ];
  if (gateHooks.length > 0 && gateHooks.every((x) => x.command === command)) {
    return { written: [], skipped: [], messages: [`✔ ${REL} already runs the gate as a PreToolUse hook; left unchanged`] };
  }
  let verb: string;
  if (gateHooks.length > 0) {
    for (const x of gateHooks) x.command = command;
    verb = `Replaced the gate hook in ${REL} with its fail-closed form`;
  } else {
    h.PreToolUse = [...pre, { matcher: '*', hooks: [{ type: 'command', command }] }];
    verb = `Added the gate as a PreToolUse hook (matcher "*") in ${REL}`;
  }
  settings.hooks = h;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n');
  const messages = [`✔ ${verb}`, ...why];
  if (!existsSync(path.join(cwd, '.aex', 'policy.aex')) && !existsSync(path.join(cwd, 'aex.policy.aex'))) {
    messages.push('The gate denies every tool call until a policy exists (.aex/policy.aex; create one with aex init --policy).');
  }
  return { written: [REL], skipped: [], messages };
}
