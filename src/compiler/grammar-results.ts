import type { Pos, RefNode } from './ast.js';
import type { Tok } from './tokens.js';

// The shapes the postprocessors of grammar/aex.ne build, one logical line at a time.
// parser.ts turns them into AST nodes (decoding strings, attaching comments).

export type RawValue =
  | { kind: 'string'; raw: string; pos: Pos }
  | { kind: 'number'; value: number; raw: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'null'; pos: Pos }
  | RefNode
  | { kind: 'list'; items: RawValue[]; pos: Pos }
  | { kind: 'object'; members: RawMember[]; pos: Pos };

/** An object member: an identifier key (`key`) or a string key (`keyRaw`, undecoded). */
export type RawMember = { key: string; keyRaw: null; keyPos: Pos; value: RawValue } | { key: null; keyRaw: string; keyPos: Pos; value: RawValue };

export type RawCond =
  | { op: 'truthy' | 'has_citations'; subject: RefNode }
  | { op: 'valid_diff'; subject: RefNode; verb: 'is' | 'has' }
  | { op: 'has' | 'not_includes'; subject: RefNode; needle: RawValue }
  | { op: 'touches_only'; subject: RefNode; allowed: RawValue };

export interface RawType {
  base: string;
  item?: RawType;
  optional: number;
  pos: Pos;
}

/** A where value as the grammar read it: JSON-like, strings undecoded. */
export type RawJson =
  | { kind: 'string'; raw: string; pos: Pos }
  | { kind: 'number'; value: number; raw: string; pos: Pos }
  | { kind: 'bool'; value: boolean; pos: Pos }
  | { kind: 'null'; pos: Pos }
  | { kind: 'list'; items: RawJson[]; pos: Pos }
  | { kind: 'object'; members: Array<{ key: string; keyRaw: null; keyPos: Pos; value: RawJson } | { key: null; keyRaw: string; keyPos: Pos; value: RawJson }>; pos: Pos };

export interface RawWhereTest {
  arg: string[];
  pos: Pos;
  op: '==' | '!=' | 'in' | 'not in' | 'matches' | 'has';
  value: RawJson;
}

/** One rule: tool pattern token, optional qualifier (value null for a lone `:`), optional where. */
export interface RawRule {
  tool: Tok;
  qualifier: { colon: Tok; value: Tok | null } | null;
  where: { keyword: Tok; tests: RawWhereTest[] } | null;
}

export type RawStmt =
  | { type: 'header'; keyword: 'task' | 'agent' | 'policy'; pos: Pos; name: string; namePos: Pos; version: string; versionPos: Pos }
  | { type: 'goal'; pos: Pos; raw: Tok }
  | { type: 'rules'; keyword: 'use' | 'allow' | 'deny'; pos: Pos; rules: RawRule[] }
  | { type: 'confirm'; pos: Pos; rule: RawRule }
  | { type: 'shell'; pos: Pos; tools: Tok[] }
  | { type: 'need'; pos: Pos; name: string; namePos: Pos; typeNode: RawType }
  | { type: 'budget'; pos: Pos; items: Array<{ key: string; pos: Pos; eq: Tok; value: Tok | null }> }
  | { type: 'do'; pos: Pos; tool: string; args: Array<{ name: string; pos: Pos; value: RawValue }>; bind: Tok | null }
  | { type: 'make'; pos: Pos; bind: string; bindPos: Pos; artifact: string; inputs: RefNode[] }
  | { type: 'check'; pos: Pos; cond: RawCond }
  | { type: 'return'; pos: Pos; value: RawValue }
  | { type: 'if'; pos: Pos; cond: RawCond }
  | { type: 'for'; pos: Pos; variable: string; varPos: Pos; iter: RefNode }
  | { type: 'instruction'; pos: Pos; text: string };
