// Describers of ordinary tools (docs/design.md#actions): one action with the call's capability, its
// arguments, and its path arguments as `paths` (or `reach` for searches). MCP tools
// judge relative paths against every base their server may use (docs/paths.md); other tools
// that are not built-ins are read at any depth (docs/paths.md) against the call's cwd.

import { describeBuiltin } from './builtins.js';
import { argumentPaths } from './mcp-args.js';
import { networkAction, networkTarget } from './network.js';
import { fileUriPath } from './mcp-args.js';
import { pathAttr, pathAttrCandidates } from './paths.js';
import type { Action, ActionPath, DescribeContext } from './types.js';

// MCP tools that list or search a folder read its whole subtree: their path arguments
// are reach, not single files (a deny on `secrets/**` must apply to listing the parent).
const SEARCHING_TOOL = /(?:^|[_.-])(?:search|find|list|tree|glob|grep|walk|ls|directory_tree)(?:$|[_.-])/i;

/** `mcp.S.resources.read`: a `file:` URI is a path, any other URI a url/host. */
function resourceRead(tool: string, args: Record<string, unknown>, ctx: DescribeContext): Action {
  const uri = args.uri;
  if (typeof uri === 'string' && /^file:/i.test(uri)) {
    const found = fileUriPath(uri);
    const p: ActionPath = found === null ? pathAttrCandidates(uri, ctx.mcpBases, ctx) : 'raw' in found ? pathAttr(found.raw, '/', ctx) : found.unresolved;
    return { cap: tool, paths: [p], args };
  }
  const target = networkTarget(uri);
  if (target) return { cap: tool, url: target.url, host: target.host, args };
  if (typeof uri === 'string') return { cap: tool, url: uri, args };
  return { cap: tool, args, unresolved: [{ what: 'uri', why: 'missing uri' }] };
}

function withPaths(cap: string, args: Record<string, unknown>, paths: ActionPath[], searching: boolean): Action {
  if (paths.length === 0) return { cap, args };
  return searching ? { cap, reach: paths, args } : { cap, paths, args };
}

/** An MCP tool `mcp.S.T` (or any tool the caller marks as MCP). */
export function describeMcp(tool: string, args: Record<string, unknown>, ctx: DescribeContext): Action[] {
  if (/^mcp\.[^.]+\.resources\.read$/.test(tool)) return [resourceRead(tool, args, ctx)];
  const paths = argumentPaths(args, (raw) => pathAttrCandidates(raw, ctx.mcpBases, ctx));
  const name = tool.split('.').pop() ?? tool;
  return [withPaths(tool, args, paths, SEARCHING_TOOL.test(name))];
}

/** Built-ins by their known shapes; any other tool by docs/paths.md against the call's cwd. */
export function describeOrdinary(tool: string, args: Record<string, unknown>, ctx: DescribeContext): Action[] {
  const builtin = describeBuiltin(tool, args, ctx);
  if (builtin) return builtin;
  if (tool.startsWith('network.') && args.url !== undefined) {
    const action = networkAction(tool, args.url, args);
    const paths = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
    return [paths.length > 0 ? { ...action, paths } : action];
  }
  const paths = argumentPaths(args, (raw) => pathAttr(raw, ctx.cwd, ctx));
  return [withPaths(tool, args, paths, false)];
}
