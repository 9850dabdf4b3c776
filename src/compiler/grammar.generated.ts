// GENERATED from grammar/aex.ne by scripts/build-grammar.mjs. Do not edit.
// Generated automatically by nearley, version unknown
// http://github.com/Hardmath123/nearley
function id(d: any[]): any { return d[0]; }
declare var hword: any;
declare var string: any;
declare var comma: any;
declare var tool: any;
declare var colon: any;
declare var glob: any;
declare var where: any;
declare var word: any;
declare var number: any;
declare var lit: any;
declare var arrow: any;
declare var instr: any;
declare var dotidx: any;

import type { Tok } from './tokens.js';

// The token source is an array prepared by the line layer.
const lexer = {
  toks: [] as Tok[],
  i: 0,
  // nearley types a chunk as text; this grammar is only ever fed token arrays.
  reset(chunk: string | Tok[]) { this.toks = typeof chunk === 'string' ? [] : chunk; this.i = 0; },
  next(): Tok | undefined { return this.toks[this.i++]; },
  save() { return {}; },
  formatError(tok: Tok | undefined) { return `unexpected "${tok?.value}"`; },
  has(_type: string) { return true; },
};
const RESERVED = new Set(['true', 'false', 'null', 'from', 'with', 'in']);
const pos = (t: any) => ({ line: t.line, column: t.col });
// Words may contain '-' (tool names); identifiers may not, nor be reserved words.
const isIdent = (t: any) => !RESERVED.has(t.value) && !t.value.includes('-');
const identOrReject = (d: any, _loc: any, reject: any) => (isIdent(d[0]) ? d[0] : reject);
// A condition from its subject and its test, keys in the order the AST has always had.
const withSubject = (subject: any, t: any) =>
  t.op === 'has' || t.op === 'not_includes' ? { op: t.op, subject, needle: t.needle }
  : t.op === 'touches_only' ? { op: t.op, subject, allowed: t.allowed }
  : t.op === 'valid_diff' ? { op: t.op, subject, verb: t.verb }
  : { op: t.op, subject };
const nameOrReject = (d: any, _loc: any, reject: any) => (d[0].value.includes('-') ? reject : d[0]);

interface NearleyToken {
  value: any;
  [key: string]: any;
};

interface NearleyLexer {
  reset: (chunk: string, info: any) => void;
  next: () => NearleyToken | undefined;
  save: () => any;
  formatError: (token: never) => string;
  has: (tokenType: string) => boolean;
};

interface NearleyRule {
  name: string;
  symbols: NearleySymbol[];
  postprocess?: (d: any[], loc?: number, reject?: {}) => any;
};

type NearleySymbol = string | { literal: any } | { test: (token: any) => boolean };

interface Grammar {
  Lexer: NearleyLexer | undefined;
  ParserRules: NearleyRule[];
  ParserStart: string;
};

const grammar: Grammar = {
  Lexer: lexer,
  ParserRules: [
    {"name": "statement", "symbols": ["header"], "postprocess": id},
    {"name": "statement", "symbols": ["goal"], "postprocess": id},
    {"name": "statement", "symbols": ["rules"], "postprocess": id},
    {"name": "statement", "symbols": ["confirm"], "postprocess": id},
    {"name": "statement", "symbols": ["shell"], "postprocess": id},
    {"name": "statement", "symbols": ["need"], "postprocess": id},
    {"name": "statement", "symbols": ["budget"], "postprocess": id},
    {"name": "statement", "symbols": ["do"], "postprocess": id},
    {"name": "statement", "symbols": ["make"], "postprocess": id},
    {"name": "statement", "symbols": ["check"], "postprocess": id},
    {"name": "statement", "symbols": ["return"], "postprocess": id},
    {"name": "statement", "symbols": ["if"], "postprocess": id},
    {"name": "statement", "symbols": ["for"], "postprocess": id},
    {"name": "statement", "symbols": ["instruction"], "postprocess": id},
    {"name": "header$subexpression$1", "symbols": [{"literal":"task"}]},
    {"name": "header$subexpression$1", "symbols": [{"literal":"agent"}]},
    {"name": "header$subexpression$1", "symbols": [{"literal":"policy"}]},
    {"name": "header", "symbols": ["header$subexpression$1", (lexer.has("hword") ? {type: "hword"} : hword), (lexer.has("hword") ? {type: "hword"} : hword)], "postprocess": (d) => ({ type: 'header', keyword: d[0][0].value, pos: pos(d[0][0]), name: d[1].value, namePos: pos(d[1]), version: d[2].value, versionPos: pos(d[2]) })},
    {"name": "goal", "symbols": [{"literal":"goal"}, (lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ type: 'goal', pos: pos(d[0]), raw: d[1] })},
    {"name": "rules$subexpression$1", "symbols": [{"literal":"use"}]},
    {"name": "rules$subexpression$1", "symbols": [{"literal":"allow"}]},
    {"name": "rules$subexpression$1", "symbols": [{"literal":"deny"}]},
    {"name": "rules", "symbols": ["rules$subexpression$1", "ruleList"], "postprocess": (d) => ({ type: 'rules', keyword: d[0][0].value, pos: pos(d[0][0]), rules: d[1] })},
    {"name": "ruleList", "symbols": ["rule"], "postprocess": (d) => [d[0]]},
    {"name": "ruleList", "symbols": ["ruleList", (lexer.has("comma") ? {type: "comma"} : comma), "rule"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "confirm", "symbols": [{"literal":"confirm"}, {"literal":"before"}, "rule"], "postprocess": (d) => ({ type: 'confirm', pos: pos(d[0]), rule: d[2] })},
    {"name": "shell", "symbols": [{"literal":"shell"}, "toolList"], "postprocess": (d) => ({ type: 'shell', pos: pos(d[0]), tools: d[1] })},
    {"name": "toolList", "symbols": [(lexer.has("tool") ? {type: "tool"} : tool)], "postprocess": (d) => [d[0]]},
    {"name": "toolList", "symbols": ["toolList", (lexer.has("comma") ? {type: "comma"} : comma), (lexer.has("tool") ? {type: "tool"} : tool)], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "rule", "symbols": [(lexer.has("tool") ? {type: "tool"} : tool), "qualifier", "whereClause"], "postprocess": (d) => ({ tool: d[0], qualifier: d[1], where: d[2] })},
    {"name": "qualifier", "symbols": [], "postprocess": () => null},
    {"name": "qualifier", "symbols": [(lexer.has("colon") ? {type: "colon"} : colon)], "postprocess": (d) => ({ colon: d[0], value: null })},
    {"name": "qualifier", "symbols": [(lexer.has("colon") ? {type: "colon"} : colon), (lexer.has("glob") ? {type: "glob"} : glob)], "postprocess": (d) => ({ colon: d[0], value: d[1] })},
    {"name": "qualifier", "symbols": [(lexer.has("colon") ? {type: "colon"} : colon), (lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ colon: d[0], value: d[1] })},
    {"name": "whereClause", "symbols": [], "postprocess": () => null},
    {"name": "whereClause", "symbols": [(lexer.has("where") ? {type: "where"} : where), "whereTests"], "postprocess": (d) => ({ keyword: d[0], tests: d[1] })},
    {"name": "whereTests", "symbols": ["whereTest"], "postprocess": (d) => [d[0]]},
    {"name": "whereTests", "symbols": ["whereTests", {"literal":"and"}, "whereTest"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "whereTest", "symbols": ["argPath", "whereOp", "json"], "postprocess": (d) => ({ arg: d[0].map((t: any) => t.value), pos: pos(d[0][0]), op: d[1], value: d[2] })},
    {"name": "argPath", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": (d) => [d[0]]},
    {"name": "argPath", "symbols": ["argPath", {"literal":"."}, (lexer.has("word") ? {type: "word"} : word)], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "whereOp", "symbols": [{"literal":"=="}], "postprocess": () => '=='},
    {"name": "whereOp", "symbols": [{"literal":"!="}], "postprocess": () => '!='},
    {"name": "whereOp", "symbols": [{"literal":"in"}], "postprocess": () => 'in'},
    {"name": "whereOp", "symbols": [{"literal":"not"}, {"literal":"in"}], "postprocess": () => 'not in'},
    {"name": "whereOp", "symbols": [{"literal":"matches"}], "postprocess": () => 'matches'},
    {"name": "whereOp", "symbols": [{"literal":"has"}], "postprocess": () => 'has'},
    {"name": "json", "symbols": [(lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) })},
    {"name": "json", "symbols": [(lexer.has("number") ? {type: "number"} : number)], "postprocess": (d) => ({ kind: 'number', value: Number(d[0].value), raw: d[0].value, pos: pos(d[0]) })},
    {"name": "json", "symbols": [(lexer.has("lit") ? {type: "lit"} : lit)], "postprocess": (d) => (d[0].value === 'null' ? { kind: 'null', pos: pos(d[0]) } : { kind: 'bool', value: d[0].value === 'true', pos: pos(d[0]) })},
    {"name": "json", "symbols": [{"literal":"["}, {"literal":"]"}], "postprocess": (d) => ({ kind: 'list', items: [], pos: pos(d[0]) })},
    {"name": "json", "symbols": [{"literal":"["}, "jsonItems", "trailingComma", {"literal":"]"}], "postprocess": (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) })},
    {"name": "json", "symbols": [{"literal":"{"}, {"literal":"}"}], "postprocess": (d) => ({ kind: 'object', members: [], pos: pos(d[0]) })},
    {"name": "json", "symbols": [{"literal":"{"}, "jsonMembers", "trailingComma", {"literal":"}"}], "postprocess": (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) })},
    {"name": "jsonItems", "symbols": ["json"], "postprocess": (d) => [d[0]]},
    {"name": "jsonItems", "symbols": ["jsonItems", {"literal":","}, "json"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "jsonMembers", "symbols": ["jsonMember"], "postprocess": (d) => [d[0]]},
    {"name": "jsonMembers", "symbols": ["jsonMembers", {"literal":","}, "jsonMember"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "jsonMember", "symbols": [(lexer.has("word") ? {type: "word"} : word), {"literal":":"}, "json"], "postprocess": (d) => ({ key: d[0].value, keyRaw: null, keyPos: pos(d[0]), value: d[2] })},
    {"name": "jsonMember", "symbols": [(lexer.has("string") ? {type: "string"} : string), {"literal":":"}, "json"], "postprocess": (d) => ({ key: null, keyRaw: d[0].value, keyPos: pos(d[0]), value: d[2] })},
    {"name": "need", "symbols": [{"literal":"need"}, "ident", {"literal":":"}, "type"], "postprocess": (d) => ({ type: 'need', pos: pos(d[0]), name: d[1].value, namePos: pos(d[1]), typeNode: d[3] })},
    {"name": "type", "symbols": ["typeBase"], "postprocess": id},
    {"name": "type", "symbols": ["type", {"literal":"?"}], "postprocess": (d) => ({ ...d[0], optional: d[0].optional + 1 })},
    {"name": "typeBase", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": (d) => ({ base: d[0].value, optional: 0, pos: pos(d[0]) })},
    {"name": "typeBase", "symbols": [(lexer.has("word") ? {type: "word"} : word), {"literal":"["}, "type", {"literal":"]"}], "postprocess": (d) => ({ base: d[0].value, item: d[2], optional: 0, pos: pos(d[0]) })},
    {"name": "budget", "symbols": [{"literal":"budget"}, "budgetList"], "postprocess": (d) => ({ type: 'budget', pos: pos(d[0]), items: d[1] })},
    {"name": "budgetList", "symbols": ["budgetItem"], "postprocess": (d) => [d[0]]},
    {"name": "budgetList", "symbols": ["budgetList", {"literal":","}, "budgetItem"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "budgetItem", "symbols": [(lexer.has("word") ? {type: "word"} : word), {"literal":"="}, "budgetValue"], "postprocess": (d) => ({ key: d[0].value, pos: pos(d[0]), eq: d[1], value: d[2] })},
    {"name": "budgetItem", "symbols": [(lexer.has("word") ? {type: "word"} : word), {"literal":"="}], "postprocess": (d) => ({ key: d[0].value, pos: pos(d[0]), eq: d[1], value: null })},
    {"name": "budgetValue", "symbols": [(lexer.has("number") ? {type: "number"} : number)], "postprocess": id},
    {"name": "budgetValue", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": id},
    {"name": "budgetValue", "symbols": [(lexer.has("string") ? {type: "string"} : string)], "postprocess": id},
    {"name": "budgetValue", "symbols": [(lexer.has("lit") ? {type: "lit"} : lit)], "postprocess": id},
    {"name": "do", "symbols": ["call"], "postprocess": id},
    {"name": "do", "symbols": ["call", (lexer.has("arrow") ? {type: "arrow"} : arrow), "ident"], "postprocess": (d) => ({ ...d[0], bind: d[2] })},
    {"name": "call", "symbols": [{"literal":"do"}, "toolName", {"literal":"("}, {"literal":")"}], "postprocess": (d) => ({ type: 'do', pos: pos(d[0]), tool: d[1], args: [], bind: null })},
    {"name": "call", "symbols": [{"literal":"do"}, "toolName", {"literal":"("}, "argList", {"literal":")"}], "postprocess": (d) => ({ type: 'do', pos: pos(d[0]), tool: d[1], args: d[3], bind: null })},
    {"name": "toolName", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": (d) => d[0].value},
    {"name": "toolName", "symbols": ["toolName", {"literal":"."}, (lexer.has("word") ? {type: "word"} : word)], "postprocess": (d) => d[0] + '.' + d[2].value},
    {"name": "argList", "symbols": ["arg"], "postprocess": (d) => [d[0]]},
    {"name": "argList", "symbols": ["argList", {"literal":","}, "arg"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "arg", "symbols": ["ident", {"literal":"="}, "value"], "postprocess": (d) => ({ name: d[0].value, pos: pos(d[0]), value: d[2] })},
    {"name": "make", "symbols": [{"literal":"make"}, "ident", {"literal":":"}, "name", {"literal":"from"}, "makeInputs", {"literal":"with"}, "colon"], "postprocess": (d) => ({ type: 'make', pos: pos(d[0]), bind: d[1].value, bindPos: pos(d[1]), artifact: d[3].value, inputs: d[5] })},
    {"name": "colon", "symbols": []},
    {"name": "colon", "symbols": [{"literal":":"}]},
    {"name": "makeInputs", "symbols": ["makeInput"], "postprocess": (d) => [d[0]]},
    {"name": "makeInputs", "symbols": ["makeInputs", {"literal":","}, "makeInput"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "makeInput", "symbols": ["ref"], "postprocess": id},
    {"name": "makeInput", "symbols": [{"literal":"$"}, "ref"], "postprocess": (d) => ({ ...d[1], dollar: true })},
    {"name": "check", "symbols": [{"literal":"check"}, "cond"], "postprocess": (d) => ({ type: 'check', pos: pos(d[0]), cond: d[1] })},
    {"name": "return", "symbols": [{"literal":"return"}, "value"], "postprocess": (d) => ({ type: 'return', pos: pos(d[0]), value: d[1] })},
    {"name": "if", "symbols": [{"literal":"if"}, "cond"], "postprocess": (d) => ({ type: 'if', pos: pos(d[0]), cond: d[1] })},
    {"name": "for", "symbols": [{"literal":"for"}, "ident", {"literal":"in"}, "ref"], "postprocess": (d) => ({ type: 'for', pos: pos(d[0]), variable: d[1].value, varPos: pos(d[1]), iter: d[3] })},
    {"name": "instruction", "symbols": [(lexer.has("instr") ? {type: "instr"} : instr)], "postprocess": (d) => ({ type: 'instruction', pos: pos(d[0]), text: d[0].value })},
    {"name": "cond", "symbols": ["ref"], "postprocess": (d) => ({ op: 'truthy', subject: d[0] })},
    {"name": "cond", "symbols": ["ref", "condTest"], "postprocess": (d) => withSubject(d[0], d[1])},
    {"name": "condTest", "symbols": [{"literal":"has"}, "string"], "postprocess": (d) => ({ op: 'has', needle: d[1] })},
    {"name": "condTest", "symbols": [{"literal":"has"}, {"literal":"citations"}], "postprocess": () => ({ op: 'has_citations' })},
    {"name": "condTest", "symbols": [{"literal":"does"}, {"literal":"not"}, {"literal":"include"}, "string"], "postprocess": (d) => ({ op: 'not_includes', needle: d[3] })},
    {"name": "condTest", "symbols": [{"literal":"does"}, {"literal":"not"}, {"literal":"include"}, "ref"], "postprocess": (d) => ({ op: 'not_includes', needle: d[3] })},
    {"name": "condTest", "symbols": [{"literal":"is"}, {"literal":"valid"}, {"literal":"diff"}], "postprocess": () => ({ op: 'valid_diff', verb: 'is' })},
    {"name": "condTest", "symbols": [{"literal":"has"}, {"literal":"valid"}, {"literal":"diff"}], "postprocess": () => ({ op: 'valid_diff', verb: 'has' })},
    {"name": "condTest", "symbols": [{"literal":"touches"}, {"literal":"only"}, "ref"], "postprocess": (d) => ({ op: 'touches_only', allowed: d[2] })},
    {"name": "condTest", "symbols": [{"literal":"touches"}, {"literal":"only"}, "list"], "postprocess": (d) => ({ op: 'touches_only', allowed: d[2] })},
    {"name": "value", "symbols": [(lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) })},
    {"name": "value", "symbols": [(lexer.has("number") ? {type: "number"} : number)], "postprocess": (d) => ({ kind: 'number', value: Number(d[0].value), raw: d[0].value, pos: pos(d[0]) })},
    {"name": "value", "symbols": [(lexer.has("lit") ? {type: "lit"} : lit)], "postprocess": (d) => (d[0].value === 'null' ? { kind: 'null', pos: pos(d[0]) } : { kind: 'bool', value: d[0].value === 'true', pos: pos(d[0]) })},
    {"name": "value", "symbols": ["ref"], "postprocess": id},
    {"name": "value", "symbols": [{"literal":"["}, "listRest"], "postprocess": (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) })},
    {"name": "value", "symbols": [{"literal":"{"}, "objectRest"], "postprocess": (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) })},
    {"name": "listRest", "symbols": [{"literal":"]"}], "postprocess": () => []},
    {"name": "listRest", "symbols": ["values", {"literal":"]"}], "postprocess": id},
    {"name": "listRest", "symbols": ["values", {"literal":","}, {"literal":"]"}], "postprocess": id},
    {"name": "objectRest", "symbols": [{"literal":"}"}], "postprocess": () => []},
    {"name": "objectRest", "symbols": ["members", {"literal":"}"}], "postprocess": id},
    {"name": "objectRest", "symbols": ["members", {"literal":","}, {"literal":"}"}], "postprocess": id},
    {"name": "string", "symbols": [(lexer.has("string") ? {type: "string"} : string)], "postprocess": (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) })},
    {"name": "list", "symbols": [{"literal":"["}, {"literal":"]"}], "postprocess": (d) => ({ kind: 'list', items: [], pos: pos(d[0]) })},
    {"name": "list", "symbols": [{"literal":"["}, "values", "trailingComma", {"literal":"]"}], "postprocess": (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) })},
    {"name": "values", "symbols": ["value"], "postprocess": (d) => [d[0]]},
    {"name": "values", "symbols": ["values", {"literal":","}, "value"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "object", "symbols": [{"literal":"{"}, {"literal":"}"}], "postprocess": (d) => ({ kind: 'object', members: [], pos: pos(d[0]) })},
    {"name": "object", "symbols": [{"literal":"{"}, "members", "trailingComma", {"literal":"}"}], "postprocess": (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) })},
    {"name": "members", "symbols": ["member"], "postprocess": (d) => [d[0]]},
    {"name": "members", "symbols": ["members", {"literal":","}, "member"], "postprocess": (d) => [...d[0], d[2]]},
    {"name": "member", "symbols": ["ident", {"literal":":"}, "value"], "postprocess": (d) => ({ key: d[0].value, keyRaw: null, keyPos: pos(d[0]), value: d[2] })},
    {"name": "member", "symbols": [(lexer.has("string") ? {type: "string"} : string), {"literal":":"}, "value"], "postprocess": (d) => ({ key: null, keyRaw: d[0].value, keyPos: pos(d[0]), value: d[2] })},
    {"name": "trailingComma", "symbols": []},
    {"name": "trailingComma", "symbols": [{"literal":","}]},
    {"name": "ref", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": (d, _loc, reject) => (isIdent(d[0]) ? { kind: 'ref', name: d[0].value, path: [], pos: pos(d[0]) } : reject)},
    {"name": "ref", "symbols": ["ref", {"literal":"."}, "name"], "postprocess": (d) => ({ ...d[0], path: [...d[0].path, d[2].value] })},
    {"name": "ref", "symbols": ["ref", (lexer.has("dotidx") ? {type: "dotidx"} : dotidx)], "postprocess": (d) => ({ ...d[0], path: [...d[0].path, Number(d[1].value.slice(1))] })},
    {"name": "ident", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": identOrReject},
    {"name": "name", "symbols": [(lexer.has("word") ? {type: "word"} : word)], "postprocess": nameOrReject}
  ],
  ParserStart: "statement",
};

export default grammar;
