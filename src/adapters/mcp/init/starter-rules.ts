// The rules `aex init --mcp` proposes for the tools it found: a tool that declares itself
// read-only (annotations.readOnlyHint) is allowed; every other tool is allowed only after
// a confirmation. A server whose tools could not be listed gets a comment saying so, and
// its tools stay hidden until a person names them.

import type { ListedTool } from './list-tools.js';

export interface ServerListing {
  name: string;
  tools?: ListedTool[];
  error?: string;
}

/** Tool names that can be written in a rule as they are. */
const PLAIN_TOOL = /^[A-Za-z0-9_-]+$/;

export interface StarterRules {
  allow: string[];
  confirm: string[];
  skipped: string[];
}

export function starterRules(listings: readonly ServerListing[]): StarterRules {
  const allow: string[] = [];
  const confirm: string[] = [];
  const skipped: string[] = [];
  for (const s of listings) {
    if (s.tools === undefined) {
      allow.push(`# MCP server "${s.name}": its tools could not be listed (${(s.error ?? 'unknown error').replace(/\s+/g, ' ').slice(0, 120)}).`);
      allow.push(`# Name them here, for example:  allow mcp.${s.name}.TOOL`);
      continue;
    }
    const plain = s.tools.filter((t) => PLAIN_TOOL.test(t.name));
    for (const t of s.tools) if (!PLAIN_TOOL.test(t.name)) skipped.push(`${s.name}: ${JSON.stringify(t.name)}`);
    const reads = plain.filter((t) => t.readOnly && !t.destructive).map((t) => `mcp.${s.name}.${t.name}`);
    const writes = plain.filter((t) => !t.readOnly || t.destructive).map((t) => `mcp.${s.name}.${t.name}`);
    allow.push(`# MCP server "${s.name}": tools that say they only read are allowed; the others ask first (below).`);
    if (reads.length > 0) allow.push(`allow ${reads.join(', ')}`);
    if (writes.length > 0) allow.push(`allow ${writes.join(', ')}`);
    if (reads.length === 0 && writes.length === 0) allow.push(`# (it offered no tools)`);
    allow.push(`# Its prompts and resources.`, `allow mcp.${s.name}.prompts.get, mcp.${s.name}.resources.read`);
    if (writes.length > 0) {
      confirm.push(`# MCP server "${s.name}": tools that may change something ask first.`);
      for (const w of writes) confirm.push(`confirm before ${w}`);
    }
  }
  return { allow, confirm, skipped };
}

/**
 * The starter policy with the MCP rules put where `aex fmt` keeps them: the allow lines
 * after the proxy's own tools, the confirm lines after the other confirmations.
 */
export function withMcpRules(policy: string, rules: StarterRules): string {
  const lines = policy.split('\n');
  const afterMeta = lines.findIndex((l) => l.trim() === 'allow aex.*');
  if (afterMeta >= 0) lines.splice(afterMeta + 1, 0, ...rules.allow);
  else lines.push(...rules.allow);
  const budget = lines.findIndex((l) => l.startsWith('# At most this many'));
  const at = budget > 0 && lines[budget - 1] === '' ? budget - 1 : lines.length;
  lines.splice(at, 0, ...rules.confirm);
  return lines.join('\n');
}

/** The rules as a block to paste into an existing policy. */
export function rulesBlock(rules: StarterRules): string {
  return [...rules.allow, ...rules.confirm].join('\n');
}
