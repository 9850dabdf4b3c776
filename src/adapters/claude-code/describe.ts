// Claude Code tool calls → actions. Each tool goes to the describer of its family, as the
// tool table (tools.json) classifies it: file tools to paths, Glob/Grep/LS to search reach,
// Bash and Monitor to the shell describer, WebFetch to a network action, MCP tools and MCP
// resource tools to the MCP describer, the agent's own tools to one action of their
// capability (with their path fields, e.g. EnterWorktree.path). Any other path-looking
// argument of a tool is read too.

import { describeCall, describeShellLine, plainArgs } from '../../describe/index.js';
import { networkAction } from '../../describe/network.js';
import { argumentPaths } from '../../describe/mcp-args.js';
import { pathAttr } from '../../describe/paths.js';
import { searchReach } from '../../describe/search.js';
import type { Action, DescribeContext, DescribedCall } from '../../describe/types.js';
import { capabilityOfCall } from './mapping.js';
import { toolEntry, type ToolEntry } from './tool-table.js';

function fieldPaths(entry: ToolEntry | undefined, args: Record<string, unknown>, ctx: DescribeContext) {
  return (entry?.paths ?? [])
    .map((f) => args[f])
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => pathAttr(v, ctx.cwd, ctx));
}

/** The tool's path fields and every other path-looking argument. */
function allPaths(entry: ToolEntry | undefined, args: Record<string, unknown>, ctx: DescribeContext) {
  const known = fieldPaths(entry, args, ctx);
  const skip = new Set(entry?.paths ?? []);
  const rest: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(args)) if (!skip.has(k)) rest[k] = v;
  return [...known, ...argumentPaths(rest, (raw) => pathAttr(raw, ctx.cwd, ctx))];
}

async function actionsFor(name: string, entry: ToolEntry, cap: string, args: Record<string, unknown>, ctx: DescribeContext): Promise<Action[]> {
  switch (entry.kind) {
    case 'file':
      return [{ cap, paths: fieldPaths(entry, args, ctx), args }];
    case 'search': {
      // Glob's pattern is a path glob that may climb out of its path; Grep's is a regex.
      const input = name === 'Glob' ? { path: args.path, pattern: args.pattern } : { path: args.path };
      return [{ cap, reach: searchReach(input, ctx.cwd, ctx), args }];
    }
    case 'shell': {
      const line = args[entry.shell ?? 'command'];
      if (typeof line !== 'string') return [{ cap, args, unresolved: [{ what: 'command', why: 'no command line' }] }];
      return describeShellLine(line, ctx);
    }
    case 'unparsed-shell': {
      const action: Action = { cap, args, unresolved: [{ what: 'command', why: 'unparsed shell' }] };
      const line = args[entry.shell ?? 'command'];
      if (typeof line === 'string') action.command = line;
      return [action];
    }
    case 'url':
      return [networkAction(cap, args[entry.url ?? 'url'], args)];
    case 'mcp-resource': {
      const call = await describeCall({ tool: cap, hostTool: name, args, mcp: true }, ctx);
      if (!cap.startsWith('mcp._.')) return call.actions;
      // The server could not be read: the call may reach any server.
      return call.actions.map((a) => ({ ...a, unresolved: [...(a.unresolved ?? []), { what: 'server', why: 'no readable MCP server name' }] }));
    }
    case 'agent':
    case 'other': {
      const paths = entry.kind === 'agent' ? fieldPaths(entry, args, ctx) : allPaths(entry, args, ctx);
      return [paths.length > 0 ? { cap, paths, args } : { cap, args }];
    }
  }
}

/** Describes one PreToolUse call of Claude Code. */
export async function describeClaudeCodeCall(toolName: string, toolInput: Record<string, unknown>, ctx: DescribeContext): Promise<DescribedCall> {
  const args = plainArgs(toolInput);
  const cap = capabilityOfCall(toolName, args);
  if (cap.startsWith('mcp.') && toolName.startsWith('mcp__')) return describeCall({ tool: cap, hostTool: toolName, args, mcp: true }, ctx);
  const entry = toolEntry(toolName);
  if (entry !== undefined) {
    const actions = await actionsFor(toolName, entry, cap, args, ctx);
    if (actions.length > 0) return { tool: cap, hostTool: toolName, args, actions };
  }
  // A tool the table does not know: its path-looking arguments are read.
  const paths = allPaths(undefined, args, ctx);
  return { tool: cap, hostTool: toolName, args, actions: [paths.length > 0 ? { cap, paths, args } : { cap, args }] };
}
