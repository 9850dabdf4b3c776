// Gemini CLI tool calls → actions. Relative paths of Gemini's tools start at the hook's
// cwd (Gemini's working directory); `dir_path` moves a shell command or a search there.
// web_fetch takes its URLs inside a free-text prompt, so every URL in it is one network
// action (a prompt with none is a fetch of an unknown host). MCP tools go to the MCP
// describer; their relative paths are judged against the server's own directories, which
// the hook's mcp_context names. `invoke_agent` starts a sub-agent: one of Gemini's own
// local agents is agent.spawn alone; any other name may be a remote (A2A) agent that sends
// the prompt to a server, or the browser agent, whose traffic the hook never sees, so it is
// also a network action to a host AEX cannot know.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeCall, describeShellLine, plainArgs } from '../../describe/index.js';
import { argumentPaths } from '../../describe/mcp-args.js';
import { networkAction } from '../../describe/network.js';
import { pathAttr, unresolvedPath } from '../../describe/paths.js';
import { searchReach, staticPrefix } from '../../describe/search.js';
import type { Action, ActionPath, DescribeContext, DescribedCall } from '../../describe/types.js';
import { GEMINI_LOCAL_AGENTS, geminiCapability, geminiTool } from './tools.js';

/** What the hook's mcp_context says about the server (names and its command line). */
export interface GeminiMcpContext {
  server?: string;
  tool?: string;
  command?: string;
  args?: string[];
  cwd?: string;
  url?: string;
}

const GLOB_CHARS = /[*?[\]{}!]/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A path field that must be there: missing or of the wrong type is an unresolved path. */
function requiredPath(args: Record<string, unknown>, keys: readonly string[], base: string, ctx: DescribeContext): ActionPath {
  for (const k of keys) {
    const v = args[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v === '') return unresolvedPath(String(v), `${k} is not a path`);
    return pathAttr(v, base, ctx);
  }
  return unresolvedPath('(no path)', `none of ${keys.join(', ')} given`);
}

/** The directory `dir_path` names (relative to the cwd), or null when it is not a usable string. */
function dirOf(args: Record<string, unknown>, ctx: DescribeContext): string | null {
  const d = args.dir_path ?? args.directory ?? args.path;
  if (d === undefined || d === null || d === '') return ctx.cwd;
  if (typeof d !== 'string' || d.includes('\0')) return null;
  return path.resolve(ctx.cwd, d);
}

/** read_many_files: each include names a file (literal) or a glob (its static prefix is searched). */
function readManyPaths(args: Record<string, unknown>, ctx: DescribeContext): { paths: ActionPath[]; reach: ActionPath[] } {
  const paths: ActionPath[] = [];
  const reach: ActionPath[] = [];
  const include = Array.isArray(args.include) ? args.include : args.include === undefined ? [] : [args.include];
  if (include.length === 0) reach.push(unresolvedPath('(include)', 'no include patterns'));
  for (const p of include) {
    if (typeof p !== 'string' || p === '') {
      reach.push(unresolvedPath(String(p), 'include is not a pattern'));
    } else if (!GLOB_CHARS.test(p)) {
      paths.push(pathAttr(p, ctx.cwd, ctx));
    } else {
      const prefix = staticPrefix(p);
      reach.push(prefix === null ? unresolvedPath(p, 'pattern may climb out of its folder') : { ...pathAttr(prefix === '' ? '.' : prefix, ctx.cwd, ctx), given: p });
    }
  }
  return { paths, reach };
}

/** Every http(s) URL in a web_fetch prompt (older clients also sent `url`). */
function fetchActions(args: Record<string, unknown>): Action[] {
  const text = [str(args.url), str(args.prompt)].filter((s): s is string => s !== undefined).join(' ');
  const urls = text.match(/\bhttps?:\/\/[^\s<>"'`)\]]+/gi) ?? [];
  if (urls.length === 0) return [{ cap: 'network.fetch', args, unresolved: [{ what: 'host', why: 'no URL in the request' }] }];
  return [...new Set(urls)].map((u) => networkAction('network.fetch', u, args));
}

/** invoke_agent: the spawn, and for an agent that is not one of Gemini's local ones, the network it may reach. */
function spawnActions(cap: string, args: Record<string, unknown>): Action[] {
  const name = args.agent_name;
  if (typeof name === 'string' && GEMINI_LOCAL_AGENTS.includes(name)) return [{ cap, args }];
  const why = typeof name === 'string' ? `agent ${JSON.stringify(name)} may be remote or browse the web` : 'no agent name';
  return [{ cap, args }, { cap: 'network.fetch', args, unresolved: [{ what: 'host', why }] }];
}

async function builtinActions(toolName: string, args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[] | null> {
  const t = geminiTool(toolName);
  if (t === undefined) return null;
  const { cap } = t;
  switch (t.family) {
    case 'shell': {
      if (typeof args.command !== 'string') return [{ cap, args, unresolved: [{ what: 'command', why: 'no command line' }] }];
      const dir = dirOf({ dir_path: args.dir_path }, ctx);
      if (dir === null) return [{ cap, command: args.command, args, unresolved: [{ what: 'command', why: 'unreadable dir_path' }] }];
      return describeShellLine(args.command, dir === ctx.cwd ? ctx : { ...ctx, cwd: dir });
    }
    case 'read':
      return [{ cap, paths: [requiredPath(args, ['file_path', 'absolute_path', 'path'], ctx.cwd, ctx)], args }];
    case 'write':
      return [{ cap, paths: [requiredPath(args, ['file_path', 'absolute_path', 'path'], ctx.cwd, ctx)], args }];
    case 'glob':
      return [{ cap, reach: searchReach({ path: args.dir_path ?? args.path, pattern: args.pattern }, ctx.cwd, ctx), args }];
    case 'grep': {
      // The content pattern is a regex; the include glob filters names and may climb.
      const input = { path: args.dir_path ?? args.path, pattern: args.include_pattern ?? args.include };
      return [{ cap, reach: searchReach(input, ctx.cwd, ctx), args }];
    }
    case 'list':
      return [{ cap, reach: [requiredPath(args, ['dir_path', 'path'], ctx.cwd, ctx)], args }];
    case 'read-many': {
      const { paths, reach } = readManyPaths(args, ctx);
      const action: Action = { cap, args };
      if (paths.length > 0) action.paths = paths;
      if (reach.length > 0) action.reach = reach;
      return [action];
    }
    case 'fetch':
      return fetchActions(args);
    case 'search':
      return [{ cap, args }];
    case 'plan-exit': {
      const plan = str(args.plan_path);
      return plan !== undefined ? [{ cap, args }, { cap: 'file.read', paths: [pathAttr(plan, ctx.cwd, ctx)], args }] : [{ cap, args }];
    }
    case 'agent':
      return [{ cap, args }];
    case 'spawn':
      return spawnActions(cap, args);
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Where a stdio server may resolve relative paths: its cwd and every directory named in its arguments. */
function mcpBases(mcp: GeminiMcpContext, ctx: DescribeContext): string[] | undefined {
  if (mcp.command === undefined) return undefined; // remote server: unknown base
  const cwd = mcp.cwd !== undefined ? path.resolve(ctx.cwd, mcp.cwd) : ctx.cwd;
  const dirs = (mcp.args ?? []).filter((a) => path.isAbsolute(a) && existsSync(a) && isDirectory(a));
  return [cwd, ...dirs];
}

/** Describes one BeforeTool call of Gemini CLI. */
export async function describeGeminiCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext, mcp?: GeminiMcpContext): Promise<DescribedCall> {
  const args = plainArgs(toolInput);
  if (mcp?.server !== undefined && mcp.tool !== undefined) {
    const cap = `mcp.${mcp.server}.${mcp.tool}`;
    const bases = mcpBases(mcp, ctx);
    const mcpCtx: DescribeContext = { ...ctx };
    if (bases !== undefined) mcpCtx.mcpBases = bases;
    else delete mcpCtx.mcpBases;
    return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, mcpCtx);
  }
  const cap = geminiCapability(toolName);
  if (cap.startsWith('mcp.')) return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, ctx);
  const actions = await builtinActions(toolName, args, ctx);
  if (actions !== null && actions.length > 0) return { tool: cap, hostTool: toolName, args, actions };
  const found = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
  return { tool: cap, hostTool: toolName, args, actions: [found.length > 0 ? { cap, paths: found, args } : { cap, args }] };
}
