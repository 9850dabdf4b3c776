// Claude Code tool calls → actions (SPEC-2 §13, §14.7, §15.5; SPEC §7.3). Each host tool
// goes to the describer of its family: file tools to paths, Glob/Grep/LS to search
// reach, Bash to the shell describer, WebFetch to a network action, mcp__S__T to the MCP
// describer. The capability names come from mapping.ts.

import { describeCall, describeShellLine, plainArgs } from '../../describe/index.js';
import { networkAction } from '../../describe/network.js';
import { argumentPaths } from '../../describe/mcp-args.js';
import { pathAttr } from '../../describe/paths.js';
import { searchReach } from '../../describe/search.js';
import type { Action, DescribeContext, DescribedCall } from '../../describe/types.js';
import { capabilityFor, PATH_FIELDS } from './mapping.js';

/** The file action of Read/Write/Edit/…: the first path field the tool carries. */
function fileAction(cap: string, toolName: string, args: Record<string, unknown>, ctx: DescribeContext): Action {
  const fields = PATH_FIELDS[toolName] ?? [];
  const paths = fields.map((f) => args[f]).filter((v): v is string => typeof v === 'string' && v !== '').map((v) => pathAttr(v, ctx.cwd, ctx));
  return { cap, paths, args };
}

function searchAction(cap: string, toolName: string, args: Record<string, unknown>, ctx: DescribeContext): Action {
  // Glob's pattern is a path glob that may climb out of its path; Grep's is a regex.
  const input = toolName === 'Glob' ? { path: args.path, pattern: args.pattern } : { path: args.path };
  return { cap, reach: searchReach(input, ctx.cwd, ctx), args };
}

async function actionsFor(toolName: string, cap: string, args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[] | null> {
  switch (toolName) {
    case 'Read':
    case 'NotebookRead':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
      return [fileAction(cap, toolName, args, ctx)];
    case 'Glob':
    case 'Grep':
    case 'LS':
      return [searchAction(cap, toolName, args, ctx)];
    case 'Bash':
      if (typeof args.command !== 'string') return [{ cap: 'shell.exec', args, unresolved: [{ what: 'command', why: 'no command line' }] }];
      return describeShellLine(args.command, ctx);
    case 'PowerShell': {
      const action: Action = { cap: 'shell.exec', args, unresolved: [{ what: 'command', why: 'unparsed shell' }] };
      if (typeof args.command === 'string') action.command = args.command;
      return [action];
    }
    case 'WebFetch':
      return [networkAction('network.fetch', args.url, args)];
    case 'WebSearch':
      return [{ cap: 'network.search', args }];
    default:
      return null;
  }
}

/** Describes one PreToolUse call of Claude Code. */
export async function describeClaudeCodeCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  const cap = capabilityFor(toolName);
  const args = plainArgs(toolInput);
  if (cap.startsWith('mcp.')) return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, ctx);
  const actions = await actionsFor(toolName, cap, args, ctx);
  if (actions !== null && actions.length > 0) return { tool: cap, hostTool: toolName, args, actions };
  // Other tools: their known path fields, and any path-looking argument (SPEC-2 §15.4).
  const known = PATH_FIELDS[toolName] !== undefined ? fileAction(cap, toolName, args, ctx).paths! : [];
  const found = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
  const paths = [...known, ...found];
  return { tool: cap, hostTool: toolName, args, actions: [paths.length > 0 ? { cap, paths, args } : { cap, args }] };
}
