import type { DocumentNode, Pos, RuleNode, Stmt, StmtType } from '../ast.js';
import { diag, type Diagnostic, type Severity } from '../diagnostics.js';
import type { PermissionLayer } from '../../rules/types.js';
import { visitStatements, type StmtOf } from '../visit-ast.js';

export type HeaderStmt = Extract<Stmt, { type: 'header' }>;
export type NeedStmt = Extract<Stmt, { type: 'need' }>;
export type DoStmt = Extract<Stmt, { type: 'do' }>;

/** A statement with its nesting depth (0 at the top level). */
export interface AtDepth<S extends Stmt = Stmt> {
  stmt: S;
  depth: number;
}

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
   * Every statement, nested ones included, in document order with its nesting depth (the
   * order of visitStatements in src/compiler/visit-ast.ts).
   */
  forEachStatement(fn: (s: Stmt, depth: number) => void): void;
  /**
   * The statements of one type, nested ones included, in document order: a rule about
   * one kind of statement (a `do`, a `make`) visits those alone, not the whole tree.
   */
  statementsOf<K extends StmtType>(type: K): readonly StmtOf<K>[];
  /**
   * The declarations (header, goal, rules, confirm, shell, need, budget) wherever they
   * stand, in document order with their depths: few in any document, however long.
   */
  declarations: readonly AtDepth[];
  report(code: string, severity: Severity, message: string, pos: Pos, end?: Pos): void;
}

export interface ValidationRule {
  name: string;
  run(ctx: ValidationContext): void;
}

const DECLARATION = new Set<StmtType>(['header', 'goal', 'rules', 'confirm', 'shell', 'need', 'budget']);

type ByType = { [K in StmtType]: StmtOf<K>[] };

export function createContext(doc: DocumentNode, diagnostics: Diagnostic[], policy?: PermissionLayer): ValidationContext {
  let header: HeaderStmt | null = null;
  const grantRules: RuleNode[] = [];
  const denyRules: RuleNode[] = [];
  const confirmRules: RuleNode[] = [];
  const needs: NeedStmt[] = [];
  const declarations: AtDepth[] = [];
  const byType: ByType = { header: [], goal: [], rules: [], confirm: [], shell: [], need: [], budget: [], do: [], make: [], check: [], return: [], if: [], for: [] };
  // One walk of the tree for every list the rules use.
  visitStatements(doc.body, {
    enter(s, depth) {
      (byType[s.type] as Stmt[]).push(s);
      if (!DECLARATION.has(s.type)) return;
      declarations.push({ stmt: s, depth });
      if (s.type === 'header' && !header) header = s;
      if (depth > 0) return;
      if (s.type === 'rules' && s.keyword === 'deny') denyRules.push(...s.rules);
      else if (s.type === 'confirm') confirmRules.push(s.rule);
      else if (s.type === 'need') needs.push(s);
    },
  });
  const h = header as HeaderStmt | null;
  const kind = h ? (h.keyword === 'policy' ? 'policy' : 'task') : null;
  for (const { stmt: s, depth } of declarations) {
    // Top level only: a nested declaration is AEX100. In a task only `use` grants (an
    // `allow` is AEX121); in a policy both do.
    if (depth > 0 || s.type !== 'rules' || s.keyword === 'deny') continue;
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
    declarations,
    forEachStatement(fn) {
      // No rule of this folder needs every statement; a caller that does walks the tree when it asks.
      visitStatements(doc.body, { enter: (s, depth) => void fn(s, depth) });
    },
    statementsOf(type) {
      return byType[type];
    },
    report(code, severity, message, pos, end) {
      diagnostics.push(diag(code, severity, message, pos.line, pos.column, end));
    },
  };
}
