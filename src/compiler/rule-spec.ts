import type { RuleSpec } from '../rules/types.js';
import { qualifierField } from '../rules/qualifier.js';
import type { RuleNode } from './ast.js';

// A parsed rule's meaning (docs/language.md): the qualifier goes into the field its
// capability reads — `command` for shell tools, `url` (text with `://`) or `host` for
// network tools, `path` for everything else.

export { qualifierField };

/** The RuleSpec of a rule node (no keyword or source: the caller knows those). */
export function ruleSpecOf(node: RuleNode): RuleSpec {
  const spec: RuleSpec = { tool: node.tool };
  if (node.qualifier) spec[qualifierField(node.tool, node.qualifier.value)] = node.qualifier.value;
  if (node.where?.length) spec.where = node.where.map((t) => ({ arg: [...t.arg], op: t.op, value: t.value }));
  return spec;
}
