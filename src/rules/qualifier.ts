// Which kind of qualifier a rule's tool pattern takes (docs/language.md).

import type { RuleSpec } from './types.js';

export type QualifierKind = 'command' | 'network' | 'path';

/** shell.exec, shell.*, shell → command; network, network.* → network; else (`*` too) → path. */
export function qualifierKind(toolPattern: string): QualifierKind {
  if (toolPattern === 'shell' || toolPattern.startsWith('shell.')) return 'command';
  if (toolPattern === 'network' || toolPattern.startsWith('network.')) return 'network';
  return 'path';
}

/** A network qualifier is a URL glob when it contains `://`, else a host pattern. */
export function networkQualifierField(text: string): 'url' | 'host' {
  return text.includes('://') ? 'url' : 'host';
}

/**
 * An MCP resource read (`mcp.S.resources.read`) names its resource by URI: a `file:` URI is a
 * path, any other (`https://…`, `db://…`) is matched by a URL glob.
 */
export function readsResources(toolPattern: string): boolean {
  return toolPattern.endsWith('.resources.read');
}

/** The field of RuleSpec a qualifier written after `tool:` belongs in. */
export function qualifierField(toolPattern: string, text: string): 'command' | 'host' | 'url' | 'path' {
  const kind = qualifierKind(toolPattern);
  if (kind === 'command') return 'command';
  if (kind === 'network') return networkQualifierField(text);
  if (readsResources(toolPattern) && text.includes('://') && !/^file:/i.test(text)) return 'url';
  return 'path';
}

/** The rule's qualifier text and field, or null for an unqualified rule. */
export function ruleQualifier(rule: RuleSpec): { field: 'command' | 'host' | 'url' | 'path'; text: string } | null {
  if (rule.command !== undefined) return { field: 'command', text: rule.command };
  if (rule.host !== undefined) return { field: 'host', text: rule.host };
  if (rule.url !== undefined) return { field: 'url', text: rule.url };
  if (rule.path !== undefined) return { field: 'path', text: rule.path };
  return null;
}
