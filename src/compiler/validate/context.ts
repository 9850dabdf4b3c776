import type { DocumentNode, Pos, RuleNode, Stmt } from '../ast.js';
import { diag, type Diagnostic, type Severity } from '../diagnostics.js';
import type { PermissionLayer } from '../../rules/types.js';
import { visitStatements } from '../visit-ast.js';

export type HeaderStmt = Extract<Stmt, { type: 'header' }>;
export type NeedStmt = Extract<Stmt, { type: 'need' }>;
export type DoStmt = Extract<Stmt, { type: 'do' }>;

export interface ValidationContext {
  doc: DocumentNode;
  /** The first header found, wherever it is (position errors are AEX004). */
  header: HeaderStmt | null;
  kind: 'task' | 'policy' | null;
  /** Rules that grant or request: `use` in a task, `allow` (and deprecated `use`) in a policy. */
  grantRules: RuleNode[];
  denyRules: RuleNode[];
  confirmRules: RuleNode[];
  needs: NeedStmt[];
  /** Active policy for AEX015, when checking against one. */
  policy?: PermissionLayer;
  /**
   * Every statement, nested ones included, in document order with its nesting depth:
   * the tree is walked once for all rules, which visit this list instead.
   */
  forEachStatement(fn: (s: Stmt, depth: number) => void): void;
  report(code: string, severity: Severity, message: string, pos: Pos, end?: Pos): void;
}

export interface ValidationRule {
  name: string;
  run(ctx: ValidationContext): void;
}

export function createContext(doc: DocumentNode, diagnostics: Diagnostic[], policy?: PermissionLayer): ValidationContext {
  let header: HeaderStmt | null = null;
  const grantRules: RuleNode[] = [];
  const denyRules: RuleNode[] = [];
  const confirmRules: RuleNode[] = [];
  const needs: NeedStmt[] = [];
  const statements: Stmt[] = [];
  const depths: number[] = [];
  visitStatements(doc.body, {
    enter(s, depth) {
      statements.push(s);
      depths.push(depth);
      if (s.type === 'header' && !header) header = s;
      if (depth > 0) return;
      if (s.type === 'rules' && s.keyword === 'deny') denyRules.push(...s.rules);
      else if (s.type === 'confirm') confirmRules.push(s.rule);
      else if (s.type === 'need') needs.push(s);
    },
  });
  const h = header as HeaderStmt | null;
  const kind = h ? (h.keyword === 'policy' ? 'policy' : 'task') : null;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    if (depths[i]! > 0 || s.type !== 'rules' || s.keyword === 'deny') continue;
    // In a task only `use` grants (an `allow` is AEX121); in a policy both do.
    if (kind === 'policy' || s.keyword === 'use') grantRules.push(...s.rules);
  }
  return {
    doc,
    header: h,
    kind,
    grantRules,
    denyRules,
    confirmRules,
    needs,
    policy,
    forEachStatement(fn) {
      for (let i = 0; i < statements.length; i++) fn(statements[i]!, depths[i]!);
    },
    report(code, severity, message, pos, end) {
      diagnostics.push(diag(code, severity, message, pos.line, pos.column, end));
    },
  };
}
