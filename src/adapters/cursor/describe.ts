// Cursor tool calls → actions: `Shell` through the shell describer (its cwd field moves
// the command), file tools through their path field (a file tool without one is an
// unresolved path), searches to their reach, WebFetch to a network action, MCP tools to
// the MCP describer. beforeReadFile adds the files attached to the prompt to the read.

import path from 'node:path';
import { describeCall, describeShellLine, plainArgs } from '../../describe/index.js';
import { argumentPaths } from '../../describe/mcp-args.js';
import { networkAction } from '../../describe/network.js';
import { pathAttr, unresolvedPath } from '../../describe/paths.js';
import { searchReach } from '../../describe/search.js';
import type { Action, ActionPath, DescribeContext, DescribedCall } from '../../describe/types.js';
import { cursorCapability, cursorTool, DIR_KEYS, FILE_KEYS, GLOB_KEYS } from './tools.js';

function firstKey(args: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.find((k) => args[k] !== undefined && args[k] !== null);
}

function filePath(args: Record<string, unknown>, ctx: DescribeContext): ActionPath {
  const k = firstKey(args, FILE_KEYS);
  if (k === undefined) return unresolvedPath('(no path)', 'the tool names no file');
  const v = args[k];
  if (typeof v !== 'string' || v === '') return unresolvedPath(String(v), `${k} is not a path`);
  return pathAttr(v, ctx.cwd, ctx);
}

async function builtinActions(toolName: string, args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[] | null> {
  const t = cursorTool(toolName);
  if (t === undefined) return null;
  const { cap } = t;
  switch (t.family) {
    case 'shell': {
      if (typeof args.command !== 'string') return [{ cap, args, unresolved: [{ what: 'command', why: 'no command line' }] }];
      const dir = args.cwd ?? args.working_directory;
      if (dir !== undefined && dir !== null && dir !== '' && (typeof dir !== 'string' || dir.includes('\0'))) {
        return [{ cap, command: args.command, args, unresolved: [{ what: 'command', why: 'unreadable cwd' }] }];
      }
      const cwd = typeof dir === 'string' && dir !== '' ? path.resolve(ctx.cwd, dir) : ctx.cwd;
      return describeShellLine(args.command, cwd === ctx.cwd ? ctx : { ...ctx, cwd });
    }
    case 'file': {
      const paths = [filePath(args, ctx)];
      // Files attached to the prompt are read along with it (beforeReadFile).
      if (Array.isArray(args.attachments)) {
        for (const a of args.attachments) {
          const f = (a as { file_path?: unknown; filePath?: unknown } | null)?.file_path ?? (a as { filePath?: unknown } | null)?.filePath;
          if (typeof f === 'string' && f !== '') paths.push(pathAttr(f, ctx.cwd, ctx));
          else if (f !== undefined) paths.push(unresolvedPath(String(f), 'attachment path is not a string'));
        }
      }
      return [{ cap, paths, args }];
    }
    case 'search': {
      const dirKey = firstKey(args, DIR_KEYS);
      const globKey = firstKey(args, GLOB_KEYS) ?? (toolName === 'Glob' ? 'pattern' : undefined);
      const input = { path: dirKey !== undefined ? args[dirKey] : undefined, pattern: globKey !== undefined ? args[globKey] : undefined };
      return [{ cap, reach: searchReach(input, ctx.cwd, ctx), args }];
    }
    case 'fetch':
      return [networkAction(cap, args.url, args)];
    case 'web-search':
    case 'agent':
      return [{ cap, args }];
  }
}

/** Describes one Cursor hook call; `mcpServer` is the server name when the event gave none in the tool name. */
export async function describeCursorCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  const cap = cursorCapability(toolName);
  const args = plainArgs(toolInput);
  if (cap.startsWith('mcp.')) return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, ctx);
  const actions = await builtinActions(toolName, args, ctx);
  if (actions !== null && actions.length > 0) return { tool: cap, hostTool: toolName, args, actions };
  const found = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
  return { tool: cap, hostTool: toolName, args, actions: [found.length > 0 ? { cap, paths: found, args } : { cap, args }] };
}
