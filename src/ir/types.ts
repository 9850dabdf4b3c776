// IR v1 (SPEC §3.2): the only contract between the compiler and everything that
// executes or enforces a contract. Nothing downstream reads .aex text or the AST.

export const IR_VERSION = 'aex-ir/1' as const;

export interface Loc {
  line: number;
  column: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface RefExpr {
  ref: string;
  path?: Array<string | number>;
}
export interface LitExpr {
  lit: string | number | boolean | null;
}
export interface ListExpr {
  list: Expr[];
}
export interface ObjectExpr {
  object: Array<{ key: string; value: Expr }>;
}
export type Expr = LitExpr | RefExpr | ListExpr | ObjectExpr;

export type Cond =
  | { op: 'truthy' | 'has_citations' | 'valid_diff'; subject: RefExpr }
  | { op: 'has' | 'not_includes'; subject: RefExpr; needle: Expr }
  | { op: 'touches_only'; subject: RefExpr; allowed: Expr };

export interface CallStep {
  op: 'call';
  tool: string;
  args: Array<{ name: string; value: Expr }>;
  bind: string | null;
  loc: Loc;
}
export interface MakeStep {
  op: 'make';
  bind: string;
  type: string;
  inputs: RefExpr[];
  instructions: string[];
  loc: Loc;
}
export interface CheckStep {
  op: 'check';
  cond: Cond;
  text: string;
  loc: Loc;
}
export interface ReturnStep {
  op: 'return';
  value: Expr;
  loc: Loc;
}
export interface IfStep {
  op: 'if';
  cond: Cond;
  text: string;
  then: Step[];
  loc: Loc;
}
export interface ForStep {
  op: 'for';
  var: string;
  iter: RefExpr;
  body: Step[];
  loc: Loc;
}
export type Step = CallStep | MakeStep | CheckStep | ReturnStep | IfStep | ForStep;

export interface Rule {
  tool: string;
  path?: string;
  loc: Loc;
}

export type BaseType = 'str' | 'num' | 'int' | 'bool' | 'file' | 'url' | 'json';
export type TypeExpr = { base: BaseType } | { base: 'list'; item: TypeExpr };

export interface Need {
  name: string;
  type: TypeExpr;
  optional: boolean;
  loc: Loc;
}

export interface Permissions {
  use: Rule[];
  deny: Rule[];
  confirm: Rule[];
}

export interface IRDocument {
  irVersion: typeof IR_VERSION;
  kind: 'task' | 'policy';
  name: string;
  version: string;
  goal: string;
  source?: { path: string; sha256: string };
  permissions: Permissions;
  needs: Need[];
  budget: { calls?: number; [key: string]: number | undefined };
  steps: Step[];
}

/** Renders a type the way it is written in source: `list[str]`. */
export function typeToString(t: TypeExpr): string {
  return t.base === 'list' ? `list[${typeToString(t.item)}]` : t.base;
}

/** Renders a rule the way it is written in source: `file.read:/src/**`. */
export function ruleToString(r: { tool: string; path?: string }): string {
  return r.path === undefined ? r.tool : `${r.tool}:${r.path}`;
}
