// Codex CLI tool calls → actions. `Bash` is a shell command line (Codex may give it as an
// argv array, which is quoted back into one line so the shell describer reads exactly the
// words Codex will run, `bash -lc "…"` included); `apply_patch` is a Codex patch
// (src/describe/codex-patch.ts); `mcp__S__T` goes to the MCP describer as `mcp.S.T`.
// A command line that runs Codex's patch program (`apply_patch <<'EOF' …`) is also read as
// the patch it carries, since Codex applies it as an edit of those files.
// The sub-agent tools are `agent.*`; the input items they hand a sub-agent may name local
// files (an image, an audio clip, a skill) that Codex reads into the agent's prompt, and
// each of those is a file read.

import path from 'node:path';
import { describeCall, describeShellLine, plainArgs } from '../../describe/index.js';
import { codexPatchActions } from '../../describe/codex-patch.js';
import { argumentPaths } from '../../describe/mcp-args.js';
import { pathAttr, unresolvedPath } from '../../describe/paths.js';
import type { Action, DescribeContext, DescribedCall } from '../../describe/types.js';
import { shellQuote } from '../hook-command.js';
import { CODEX_PATCH_PROGRAMS, codexCapability } from './tools.js';

/** Shells whose `-c`/`-lc SCRIPT` form Codex uses to run a command line. */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash']);

/**
 * The command line of a Bash call: a string as given; an argv array `[bash, -lc, SCRIPT]`
 * is SCRIPT itself (that is the line the shell runs); any other argv is quoted word by
 * word, so the shell describer reads exactly the words Codex will execute.
 */
export function codexCommandLine(command: unknown): string | undefined {
  if (typeof command === 'string') return command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((w) => typeof w === 'string')) return undefined;
  const argv = command as string[];
  if (argv.length === 3 && SHELLS.has(argv[0]!.replace(/^.*\//, '')) && (argv[1] === '-c' || argv[1] === '-lc')) return argv[2];
  return argv.map(shellQuote).join(' ');
}

/** The directory a call runs in: tool_input.workdir when Codex gives one, else the hook's cwd. */
function workdirOf(args: Record<string, unknown>, cwd: string): string | null {
  const w = args.workdir;
  if (w === undefined || w === null || w === '') return cwd;
  if (typeof w !== 'string' || w.includes('\0')) return null;
  return path.resolve(cwd, w);
}

/** The patch a command line hands to Codex's patch program, when it does. */
function embeddedPatch(line: string): string | undefined {
  const begin = line.indexOf('*** Begin Patch');
  if (begin < 0) return undefined;
  const words = line.slice(0, begin).split(/[\s;&|()]+/);
  if (!words.some((w) => CODEX_PATCH_PROGRAMS.includes(w.replace(/^.*\//, '')))) return undefined;
  const end = line.indexOf('*** End Patch', begin);
  return end < 0 ? line.slice(begin) : line.slice(begin, end + '*** End Patch'.length);
}

async function shellActions(args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[]> {
  const line = codexCommandLine(args.command);
  if (line === undefined) return [{ cap: 'shell.exec', args, unresolved: [{ what: 'command', why: 'no command line' }] }];
  const dir = workdirOf(args, ctx.cwd);
  if (dir === null) return [{ cap: 'shell.exec', command: line, args, unresolved: [{ what: 'command', why: 'unreadable workdir' }] }];
  const shellCtx = dir === ctx.cwd ? ctx : { ...ctx, cwd: dir };
  const actions = await describeShellLine(line, shellCtx);
  const patch = embeddedPatch(line);
  if (patch !== undefined) {
    // A `cd` before the patch program moves where it applies; AEX does not follow it.
    const moves = /(^|[\s;&|(])(cd|pushd)\s/.test(line.slice(0, line.indexOf('*** Begin Patch')));
    actions.push(
      ...(moves
        ? [{ cap: 'file.write', paths: [unresolvedPath('(patch)', 'patch applied after a change of directory')], args }]
        : codexPatchActions(patch, dir, ctx, args)),
    );
  }
  return actions;
}

/** Input item types that carry no local file (text, or an image or audio given by URL). */
const NO_FILE_ITEMS = new Set(['text', 'image', 'audio']);

/** An agent tool: the action itself, plus a file read for every local file among its input items. */
function agentActions(cap: string, args: Record<string, unknown>, ctx: DescribeContext): Action[] {
  const actions: Action[] = [{ cap, args }];
  const items = args.items;
  if (items === undefined || items === null) return actions;
  if (!Array.isArray(items)) return [...actions, { cap: 'file.read', args, paths: [unresolvedPath('(items)', 'items is not a list')] }];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const { type, path: p } = item as Record<string, unknown>;
    if (p === undefined || p === null) continue;
    // A mention names a connector or plugin by URL (app://…, plugin://…). Any other item
    // with a path (local_image, local_audio, skill, or a type AEX does not know) is a file read.
    const isUrlMention = type === 'mention' && typeof p === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
    if (isUrlMention || (typeof type === 'string' && NO_FILE_ITEMS.has(type))) continue;
    actions.push({ cap: 'file.read', args, paths: [typeof p === 'string' && p !== '' && !p.includes('\0') ? pathAttr(p, ctx.cwd, ctx) : unresolvedPath(String(p), 'item path is not a path')] });
  }
  return actions;
}

/** Describes one PreToolUse call of Codex CLI. */
export async function describeCodexCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  const cap = codexCapability(toolName);
  const args = plainArgs(toolInput);
  if (cap.startsWith('mcp.')) return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, ctx);
  let actions: Action[];
  if (toolName === 'Bash') {
    actions = await shellActions(args, ctx);
  } else if (toolName === 'apply_patch') {
    const dir = workdirOf(args, ctx.cwd);
    const text = args.command ?? args.patch ?? args.input;
    actions = dir === null ? [{ cap, args, paths: [unresolvedPath('(patch)', 'unreadable workdir')] }] : codexPatchActions(text, dir, ctx, args);
  } else if (cap.startsWith('agent.')) {
    actions = agentActions(cap, args, ctx);
  } else {
    // Tools AEX does not know: any path-looking argument is judged as a path.
    const found = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
    actions = [found.length > 0 ? { cap, paths: found, args } : { cap, args }];
  }
  return { tool: cap, hostTool: toolName, args, actions };
}
