import type { ValidationRule } from './context.js';

// AEX017 (warning): AEX 2 names the MCP tool T of server S `mcp.S.T` on every surface
// (docs/mcp.md). A policy that still names it `T` (the proxy's AEX 1 name) or `S.T` (the
// alias `aex run --mcp-config` registered) keeps working for one release but misses
// the same tool reached through another surface.

/** Capability families AEX itself defines; a two-part name outside them reads as `S.T`. */
const FAMILIES = new Set(['file', 'shell', 'network', 'tests', 'git', 'model', 'secrets', 'agent', 'aex', 'mcp', 'todo', 'unknown']);

/** Why `pattern` reads as an AEX 1 name of an MCP tool, or null. */
export function mcpNameProblem(pattern: string): string | null {
  if (pattern === '*') return null;
  const segs = pattern.split('.');
  if (segs.length === 1) {
    return `"${pattern}" is a bare tool name; an MCP tool T of server S is "mcp.S.T" in AEX 2 (a bare name is accepted for one release)`;
  }
  if (segs.length === 2 && segs[1] !== '*' && !FAMILIES.has(segs[0]!)) {
    return `"${pattern}" reads as the alias S.T of an MCP tool; AEX 2 names it "mcp.${pattern}"`;
  }
  if (segs.length === 2 && segs[1] === '*' && !FAMILIES.has(segs[0]!)) {
    return `"${pattern}" reads as every tool of an MCP server S by its alias; AEX 2 names them "mcp.${pattern}"`;
  }
  return null;
}

/** AEX017 a bare MCP tool name or an `S.T` alias in a policy's rules. */
export const mcpNamesRule: ValidationRule = {
  name: 'mcp-names',
  run(ctx) {
    // Tasks name host tools (`--tools`) freely; the AEX 1 MCP names live in policies.
    if (ctx.kind !== 'policy') return;
    for (const { stmt: s, depth } of ctx.declarations) {
      if (depth > 0 || (s.type !== 'rules' && s.type !== 'confirm')) continue;
      const rules = s.type === 'rules' ? s.rules : [s.rule];
      for (const r of rules) {
        const why = mcpNameProblem(r.tool);
        if (why) ctx.report('AEX017', 'warning', why, r.pos);
      }
    }
  },
};
