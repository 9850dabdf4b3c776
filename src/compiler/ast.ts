import type { Comment } from './lexer.js';
import type { JsonValue, WhereOp } from '../rules/types.js';

// The AST keeps everything the formatter needs (comments, spellings) and source
// positions for diagnostics. Only the compiler reads it; everything else reads IR.

export interface Pos {
  line: number;
  column: number;
}

export type ValueNode =
  | { kind: 'string'; value: string; pos: Pos }
  | { kind: 'number'; value: number; raw: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'null'; pos: Pos }
  | RefNode
  | { kind: 'list'; items: ValueNode[]; pos: Pos }
  | { kind: 'object'; members: Array<{ key: string; keyPos: Pos; value: ValueNode }>; pos: Pos };

export interface RefNode {
  kind: 'ref';
  name: string;
  path: Array<string | number>;
  pos: Pos;
  /** `$name` in a make input (accepted for compatibility, dropped by fmt). */
  dollar?: boolean;
}

export type CondNode =
  | { op: 'truthy' | 'has_citations'; subject: RefNode }
  | { op: 'valid_diff'; subject: RefNode; verb: 'is' | 'has' }
  | { op: 'has' | 'not_includes'; subject: RefNode; needle: ValueNode }
  | { op: 'touches_only'; subject: RefNode; allowed: ValueNode };

export interface TypeNode {
  base: string;
  item?: TypeNode;
  /** Number of `?` written directly after this type. */
  optional: number;
  pos: Pos;
}

/** A rule's qualifier as written (docs/language.md); its meaning follows the tool's capability. */
export interface QualifierNode {
  /** The qualifier text, decoded when it was quoted. */
  value: string;
  quoted: boolean;
  pos: Pos;
}

/** One `where` test (docs/language.md). */
export interface WhereTestNode {
  arg: string[];
  op: WhereOp;
  value: JsonValue;
  pos: Pos;
}

export interface RuleNode {
  /** Canonical text of the rule (what fmt prints and messages quote). */
  text: string;
  tool: string;
  qualifier?: QualifierNode;
  where?: WhereTestNode[];
  pos: Pos;
}

export interface StmtBase {
  pos: Pos;
  comments: { leading: Comment[]; trailing?: Comment; inner: Comment[] };
}

export type Stmt =
  | (StmtBase & { type: 'header'; keyword: 'task' | 'agent' | 'policy'; name: string; version: string; namePos: Pos; versionPos: Pos })
  | (StmtBase & { type: 'goal'; value: string })
  | (StmtBase & { type: 'rules'; keyword: 'use' | 'allow' | 'deny'; rules: RuleNode[] })
  | (StmtBase & { type: 'confirm'; rule: RuleNode })
  | (StmtBase & { type: 'shell'; tools: Array<{ name: string; pos: Pos }> })
  | (StmtBase & { type: 'need'; name: string; namePos: Pos; typeNode: TypeNode })
  | (StmtBase & { type: 'budget'; items: Array<{ key: string; raw: string; value: number | null; pos: Pos; valuePos: Pos }> })
  | (StmtBase & { type: 'do'; tool: string; args: Array<{ name: string; pos: Pos; value: ValueNode }>; bind: string | null; bindPos?: Pos })
  | (StmtBase & { type: 'make'; bind: string; bindPos: Pos; artifact: string; inputs: RefNode[]; instructions: Array<{ text: string; pos: Pos; comments: Comment[] }> })
  | (StmtBase & { type: 'check'; cond: CondNode })
  | (StmtBase & { type: 'return'; value: ValueNode })
  | (StmtBase & { type: 'if'; cond: CondNode; body: Stmt[] })
  | (StmtBase & { type: 'for'; variable: string; varPos: Pos; iter: RefNode; body: Stmt[] });

export type StmtType = Stmt['type'];

export interface DocumentNode {
  /** Top-level statements in source order (declarations and steps). */
  body: Stmt[];
  /** Comments after the last statement. */
  trailingComments: Comment[];
}

export const DECLARATION_TYPES = new Set<StmtType>(['goal', 'rules', 'confirm', 'shell', 'need', 'budget']);
export const STEP_TYPES = new Set<StmtType>(['do', 'make', 'check', 'return', 'if', 'for']);
