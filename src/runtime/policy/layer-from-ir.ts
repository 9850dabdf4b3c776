// The permission layer of a compiled document: rules with their keyword and source,
// budget, shell declarations, and the project root that a policy's relative globs
// resolve against.

import path from 'node:path';
import type { IRDocument, Rule } from '../../ir/types.js';
import type { PermissionLayer, RuleKeyword, RuleSpec } from '../../rules/types.js';

/**
 * The project root of a policy file (docs/paths.md): the parent of the `.aex` folder
 * that holds it, else the folder it is in. Relative globs of its rules resolve there.
 */
export function policyProjectRoot(file: string): string {
  const abs = path.resolve(file);
  let dir = path.dirname(abs);
  for (let d = dir; ; ) {
    if (path.basename(d) === '.aex') return path.dirname(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return dir;
}

function ruleFromIR(r: Rule, file: string | undefined, keyword: RuleKeyword): RuleSpec {
  const out: RuleSpec = { tool: r.tool };
  if (r.path !== undefined) out.path = r.path;
  if (r.command !== undefined) out.command = r.command;
  if (r.host !== undefined) out.host = r.host;
  if (r.url !== undefined) out.url = r.url;
  if (r.where !== undefined) out.where = r.where.map((t) => ({ arg: [...t.arg], op: t.op, value: t.value }));
  out.keyword = keyword;
  if (file !== undefined && r.loc) {
    out.source = { file, line: r.loc.line, column: r.loc.column };
    out.origin = `${file}:${r.loc.line}:${r.loc.column}`;
  }
  return out;
}

function budgetFromIR(b: IRDocument['budget'] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * The permission layer of a compiled document (IR v1 or v2). Task: its `use` rules;
 * policy: its `allow` rules (lowered into `permissions.use`). Confirm = the top-level
 * confirm rules. Every rule keeps its keyword and source; a policy's layer gets its
 * project root, and both get `files` and the `shell` declarations.
 */
export function layerFromIR(ir: IRDocument, file?: string): PermissionLayer {
  const grant: RuleKeyword = ir.kind === 'policy' ? 'allow' : 'use';
  const layer: PermissionLayer = {
    kind: ir.kind,
    name: ir.name,
    allow: ir.permissions.use.map((r) => ruleFromIR(r, file, grant)),
    deny: ir.permissions.deny.map((r) => ruleFromIR(r, file, 'deny')),
    confirm: ir.permissions.confirm.map((r) => ruleFromIR(r, file, 'confirm')),
    budget: budgetFromIR(ir.budget),
  };
  if (ir.shells?.length) layer.shells = [...ir.shells];
  if (file !== undefined) {
    layer.file = file;
    layer.files = [file];
    // A task's relative globs keep resolving against the run's root (docs/design.md#rules-and-permissions).
    if (ir.kind === 'policy') layer.root = policyProjectRoot(file);
  }
  return layer;
}
