// One name per MCP tool (docs/mcp.md, docs/mcp.md): tool T of server S is the capability
// `mcp.S.T` in the gate, the proxy, `aex run --mcp-config` and LangGraph alike.
//
// Older spellings still work for one release — the bare `T` behind `aex proxy`, and
// `S.T` in `aex run --mcp-config` — by giving every rule written under an old spelling
// a twin under the one name. The call itself is always judged under `mcp.S.T`, so its
// events carry one name whatever the policy wrote (`aex check` warns with AEX017).

import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../rules/types.js';

/** Server names AEX accepts for `mcp.S.T`: one segment, no dot, no wildcard. */
export const MCP_SERVER_NAME = /^[A-Za-z0-9_-]+$/;

/** `mcp.S.T`. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp.${server}.${tool}`;
}

/**
 * The server name a host derives from a configuration key: Claude Code turns every
 * character outside `[A-Za-z0-9_-]` into `_` when it builds `mcp__S__T`, so the proxy is
 * given the same spelling and both surfaces agree on `mcp.S.T`.
 */
export function serverNameFromKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Maps a rule's tool pattern written under an old spelling to the pattern under the one name. */
export type PatternAlias = (pattern: string) => string | undefined;

/** Behind `aex proxy --name S`: a bare pattern `P` (not `mcp.…`, not `aex.…`, not `*`) also means `mcp.S.P`. */
export function bareNameAlias(server: string): PatternAlias {
  return (pattern) => {
    if (pattern === '*' || pattern.startsWith('mcp.') || pattern.startsWith('aex.')) return undefined;
    return mcpToolName(server, pattern);
  };
}

/** `aex run --mcp-config`: a pattern `S.…` for a configured server S also means `mcp.S.…`. */
export function serverPrefixAlias(servers: readonly string[]): PatternAlias {
  return (pattern) => {
    const dot = pattern.indexOf('.');
    if (dot <= 0) return undefined;
    return servers.includes(pattern.slice(0, dot)) ? `mcp.${pattern}` : undefined;
  };
}

function withTwins(rules: RuleSpec[], alias: PatternAlias): RuleSpec[] {
  const out: RuleSpec[] = [];
  for (const r of rules) {
    out.push(r);
    const twin = alias(r.tool);
    if (twin !== undefined && twin !== r.tool) out.push({ ...r, tool: twin, writtenTool: r.writtenTool ?? r.tool });
  }
  return out;
}

function layerWithTwins(layer: PermissionLayer, alias: PatternAlias): PermissionLayer {
  return { ...layer, allow: withTwins(layer.allow, alias), deny: withTwins(layer.deny, alias), confirm: withTwins(layer.confirm, alias) };
}

/**
 * The permissions with every rule under an old spelling doubled under the one name.
 * A twin keeps its keyword, qualifier and source, and prints as written (`writtenTool`),
 * so provenance still names the rule and the line the person wrote. Allow twins stay in their own layer: both layers must still
 * permit a call.
 */
export function withNameAliases(perms: EffectivePermissions, alias: PatternAlias): EffectivePermissions {
  const out: EffectivePermissions = { ...perms, deny: withTwins(perms.deny, alias), confirm: withTwins(perms.confirm, alias) };
  if (perms.task) out.task = layerWithTwins(perms.task, alias);
  if (perms.policy) out.policy = layerWithTwins(perms.policy, alias);
  return out;
}
