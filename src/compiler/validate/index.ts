import type { DocumentNode } from '../ast.js';
import type { Diagnostic } from '../diagnostics.js';
import type { PermissionLayer } from '../../rules/types.js';
import { createContext, type ValidationRule } from './context.js';

export type { ValidationRule } from './context.js';
import { headerRule } from './header.js';
import { goalRule } from './goal.js';
import { documentKindRule } from './document-kind.js';
import { returnsRule } from './returns.js';
import { ruleSyntaxRule } from './rule-syntax.js';
import { permissionsRule } from './permissions.js';
import { scopesRule } from './scopes.js';
import { needsRule } from './needs.js';
import { argumentsRule } from './arguments.js';
import { budgetRule } from './budget.js';
import { makeRule } from './make.js';
import { declarationsRule } from './declarations.js';
import { qualifierKindRule } from './qualifier-kind.js';
import { denyGlobReadingsRule } from './deny-glob-readings.js';
import { denyCommandReadingsRule } from './deny-command-readings.js';
import { mcpNamesRule } from './mcp-names.js';

/** Every validation rule, one per file, run in this order by one driver. */
export const RULES: ValidationRule[] = [
  headerRule,
  goalRule,
  documentKindRule,
  declarationsRule,
  ruleSyntaxRule,
  qualifierKindRule,
  denyGlobReadingsRule,
  denyCommandReadingsRule,
  mcpNamesRule,
  permissionsRule,
  needsRule,
  scopesRule,
  argumentsRule,
  budgetRule,
  makeRule,
  returnsRule,
];

export interface ValidateOptions {
  /** Active policy: enables the rules that compare a task with it. */
  policy?: PermissionLayer;
  /** The rules to run (default: all of RULES); one rule alone is how each is tested. */
  rules?: readonly ValidationRule[];
}

/** Runs the rules; a rule's failure never stops the others. */
export function validate(doc: DocumentNode, opts: ValidateOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ctx = createContext(doc, diagnostics, opts.policy);
  for (const rule of opts.rules ?? RULES) rule.run(ctx);
  return diagnostics;
}
