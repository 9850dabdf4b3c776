// IR v1 (docs/design.md#the-ir-contract) and v2 (docs/design.md#the-ir-contract): the only contract between the compiler
// and everything that executes or enforces a contract. Nothing downstream reads .aex
// text or the AST. v2 is v1 plus rule qualifiers by kind (command/host/url), `where`
// tests, segment wildcards in tool patterns and the document's `shell` declarations;
// the compiler writes v1 whenever a document needs none of these.

export const IR_VERSION = 'aex-ir/1' as const;
export const IR_VERSION_V2 = 'aex-ir/2' as const;
export type IRVersion = typeof IR_VERSION | typeof IR_VERSION_V2;

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

/** One `where` test of a rule (v2): a path into the call's arguments, an operator, a JSON value. */
export interface WhereTestIR {
  arg: string[];
  op: '==' | '!=' | 'in' | 'not in' | 'matches' | 'has';
  value: JsonValue;
}

export interface Rule {
  tool: string;
  /** Path glob (v1 and v2). */
  path?: string;
  /** v2: command pattern of a shell rule. */
  command?: string;
  /** v2: host pattern of a network rule. */
  host?: string;
  /** v2: URL glob of a network rule. */
  url?: string;
  /** v2: argument tests, all of which must hold. */
  where?: WhereTestIR[];
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
  irVersion: IRVersion;
  kind: 'task' | 'policy';
  name: string;
  version: string;
  goal: string;
  source?: { path: string; sha256: string };
  permissions: Permissions;
  needs: Need[];
  budget: { calls?: number; [key: string]: number | undefined };
  steps: Step[];
  /** v2 only (always present there): tools declared with `shell TOOL` (docs/language.md). */
  shells?: string[];
}

/** Renders a type the way it is written in source: `list[str]`. */
export function typeToString(t: TypeExpr): string {
  return t.base === 'list' ? `list[${typeToString(t.item)}]` : t.base;
}

/** Renders a v1 rule the way it is written in source: `file.read:/src/**` (v2 rules: formatRule in src/rules). */
export function ruleToString(r: { tool: string; path?: string }): string {
  return r.path === undefined ? r.tool : `${r.tool}:${r.path}`;
}
