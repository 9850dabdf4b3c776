# AEX grammar (docs/language.md), over the tokens of one logical line.
#
# The line layer (src/compiler/lexer.ts) splits the source into logical lines with
# INDENT/DEDENT markers and lexes each with moo; this grammar parses one statement
# at a time, and src/compiler/parser.ts builds blocks from the markers. Keywords are
# matched by value where they occur, so they stay usable as names elsewhere.

@preprocessor typescript

@{%
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
%}

@lexer lexer

statement -> header      {% id %}
           | goal        {% id %}
           | rules       {% id %}
           | confirm     {% id %}
           | shell       {% id %}
           | need        {% id %}
           | budget      {% id %}
           | do          {% id %}
           | make        {% id %}
           | check       {% id %}
           | return      {% id %}
           | if          {% id %}
           | for         {% id %}
           | instruction {% id %}

# ---- declarations -------------------------------------------------------------

header -> ("task" | "agent" | "policy") %hword %hword
  {% (d) => ({ type: 'header', keyword: d[0][0].value, pos: pos(d[0][0]), name: d[1].value, namePos: pos(d[1]), version: d[2].value, versionPos: pos(d[2]) }) %}

goal -> "goal" %string
  {% (d) => ({ type: 'goal', pos: pos(d[0]), raw: d[1] }) %}

rules -> ("use" | "allow" | "deny") ruleList
  {% (d) => ({ type: 'rules', keyword: d[0][0].value, pos: pos(d[0][0]), rules: d[1] }) %}

ruleList -> rule                   {% (d) => [d[0]] %}
          | ruleList %comma rule   {% (d) => [...d[0], d[2]] %}

confirm -> "confirm" "before" rule
  {% (d) => ({ type: 'confirm', pos: pos(d[0]), rule: d[2] }) %}

# `shell TOOL, TOOL`: tools whose `command` argument is a command line (docs/language.md).
shell -> "shell" toolList
  {% (d) => ({ type: 'shell', pos: pos(d[0]), tools: d[1] }) %}

toolList -> %tool                  {% (d) => [d[0]] %}
          | toolList %comma %tool  {% (d) => [...d[0], d[2]] %}

# ---- rules (docs/language.md): toolpattern [":" qualifier] ["where" test {"and" test}] ----

rule -> %tool qualifier whereClause
  {% (d) => ({ tool: d[0], qualifier: d[1], where: d[2] }) %}

# A lone ":" is kept so that validation can say "empty qualifier" (AEX014).
qualifier -> null                  {% () => null %}
           | %colon                {% (d) => ({ colon: d[0], value: null }) %}
           | %colon %glob          {% (d) => ({ colon: d[0], value: d[1] }) %}
           | %colon %string        {% (d) => ({ colon: d[0], value: d[1] }) %}

whereClause -> null                {% () => null %}
             | %where whereTests   {% (d) => ({ keyword: d[0], tests: d[1] }) %}

whereTests -> whereTest                    {% (d) => [d[0]] %}
            | whereTests "and" whereTest   {% (d) => [...d[0], d[2]] %}

whereTest -> argPath whereOp json
  {% (d) => ({ arg: d[0].map((t: any) => t.value), pos: pos(d[0][0]), op: d[1], value: d[2] }) %}

argPath -> %word                   {% (d) => [d[0]] %}
         | argPath "." %word       {% (d) => [...d[0], d[2]] %}

whereOp -> "=="                    {% () => '==' %}
         | "!="                    {% () => '!=' %}
         | "in"                    {% () => 'in' %}
         | "not" "in"              {% () => 'not in' %}
         | "matches"               {% () => 'matches' %}
         | "has"                   {% () => 'has' %}

# JSON-like values of where tests: no references, only literals.
json -> %string                    {% (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) }) %}
      | %number                    {% (d) => ({ kind: 'number', value: Number(d[0].value), raw: d[0].value, pos: pos(d[0]) }) %}
      | %lit                       {% (d) => (d[0].value === 'null' ? { kind: 'null', pos: pos(d[0]) } : { kind: 'bool', value: d[0].value === 'true', pos: pos(d[0]) }) %}
      | "[" "]"                    {% (d) => ({ kind: 'list', items: [], pos: pos(d[0]) }) %}
      | "[" jsonItems trailingComma "]"    {% (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) }) %}
      | "{" "}"                    {% (d) => ({ kind: 'object', members: [], pos: pos(d[0]) }) %}
      | "{" jsonMembers trailingComma "}"  {% (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) }) %}

jsonItems -> json                  {% (d) => [d[0]] %}
           | jsonItems "," json    {% (d) => [...d[0], d[2]] %}

jsonMembers -> jsonMember                  {% (d) => [d[0]] %}
             | jsonMembers "," jsonMember  {% (d) => [...d[0], d[2]] %}

jsonMember -> %word ":" json       {% (d) => ({ key: d[0].value, keyRaw: null, keyPos: pos(d[0]), value: d[2] }) %}
            | %string ":" json     {% (d) => ({ key: null, keyRaw: d[0].value, keyPos: pos(d[0]), value: d[2] }) %}

need -> "need" ident ":" type
  {% (d) => ({ type: 'need', pos: pos(d[0]), name: d[1].value, namePos: pos(d[1]), typeNode: d[3] }) %}

type -> typeBase                   {% id %}
      | type "?"                   {% (d) => ({ ...d[0], optional: d[0].optional + 1 }) %}

typeBase -> %word                  {% (d) => ({ base: d[0].value, optional: 0, pos: pos(d[0]) }) %}
          | %word "[" type "]"     {% (d) => ({ base: d[0].value, item: d[2], optional: 0, pos: pos(d[0]) }) %}

budget -> "budget" budgetList
  {% (d) => ({ type: 'budget', pos: pos(d[0]), items: d[1] }) %}

budgetList -> budgetItem                     {% (d) => [d[0]] %}
            | budgetList "," budgetItem      {% (d) => [...d[0], d[2]] %}

budgetItem -> %word "=" budgetValue          {% (d) => ({ key: d[0].value, pos: pos(d[0]), eq: d[1], value: d[2] }) %}
            | %word "="                      {% (d) => ({ key: d[0].value, pos: pos(d[0]), eq: d[1], value: null }) %}

budgetValue -> %number                       {% id %}
             | %word                         {% id %}
             | %string                       {% id %}
             | %lit                          {% id %}

# ---- steps --------------------------------------------------------------------

# No nullable parts (an empty argument list, no binding): spelled out, they cost the
# Earley parser fewer states than `args -> null | argList` and `bind -> null | ...`.
do -> call                         {% id %}
    | call %arrow ident            {% (d) => ({ ...d[0], bind: d[2] }) %}

call -> "do" toolName "(" ")"            {% (d) => ({ type: 'do', pos: pos(d[0]), tool: d[1], args: [], bind: null }) %}
      | "do" toolName "(" argList ")"    {% (d) => ({ type: 'do', pos: pos(d[0]), tool: d[1], args: d[3], bind: null }) %}

toolName -> %word                  {% (d) => d[0].value %}
          | toolName "." %word     {% (d) => d[0] + '.' + d[2].value %}

argList -> arg                     {% (d) => [d[0]] %}
         | argList "," arg         {% (d) => [...d[0], d[2]] %}

arg -> ident "=" value             {% (d) => ({ name: d[0].value, pos: pos(d[0]), value: d[2] }) %}

make -> "make" ident ":" name "from" makeInputs "with" colon
  {% (d) => ({ type: 'make', pos: pos(d[0]), bind: d[1].value, bindPos: pos(d[1]), artifact: d[3].value, inputs: d[5] }) %}

colon -> null | ":"

makeInputs -> makeInput                    {% (d) => [d[0]] %}
            | makeInputs "," makeInput     {% (d) => [...d[0], d[2]] %}

makeInput -> ref                           {% id %}
           | "$" ref                       {% (d) => ({ ...d[1], dollar: true }) %}

check -> "check" cond              {% (d) => ({ type: 'check', pos: pos(d[0]), cond: d[1] }) %}

return -> "return" value           {% (d) => ({ type: 'return', pos: pos(d[0]), value: d[1] }) %}

if -> "if" cond                    {% (d) => ({ type: 'if', pos: pos(d[0]), cond: d[1] }) %}

for -> "for" ident "in" ref        {% (d) => ({ type: 'for', pos: pos(d[0]), variable: d[1].value, varPos: pos(d[1]), iter: d[3] }) %}

instruction -> %instr              {% (d) => ({ type: 'instruction', pos: pos(d[0]), text: d[0].value }) %}

# ---- conditions ---------------------------------------------------------------

# A condition is its subject and what is tested of it; the subject is parsed once for
# every form of test (fewer Earley states than one alternative per form).
cond -> ref                                  {% (d) => ({ op: 'truthy', subject: d[0] }) %}
      | ref condTest                         {% (d) => withSubject(d[0], d[1]) %}

condTest -> "has" string                     {% (d) => ({ op: 'has', needle: d[1] }) %}
          | "has" "citations"                {% () => ({ op: 'has_citations' }) %}
          | "does" "not" "include" string    {% (d) => ({ op: 'not_includes', needle: d[3] }) %}
          | "does" "not" "include" ref       {% (d) => ({ op: 'not_includes', needle: d[3] }) %}
          | "is" "valid" "diff"              {% () => ({ op: 'valid_diff', verb: 'is' }) %}
          | "has" "valid" "diff"             {% () => ({ op: 'valid_diff', verb: 'has' }) %}
          | "touches" "only" ref             {% (d) => ({ op: 'touches_only', allowed: d[2] }) %}
          | "touches" "only" list            {% (d) => ({ op: 'touches_only', allowed: d[2] }) %}

# ---- values -------------------------------------------------------------------

# string, list and object are spelled out here rather than named, and an empty list or
# object shares its first state with a full one: every value position predicts each
# alternative, so fewer alternatives and levels are fewer Earley states per value.
value -> %string                   {% (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) }) %}
       | %number                   {% (d) => ({ kind: 'number', value: Number(d[0].value), raw: d[0].value, pos: pos(d[0]) }) %}
       | %lit                      {% (d) => (d[0].value === 'null' ? { kind: 'null', pos: pos(d[0]) } : { kind: 'bool', value: d[0].value === 'true', pos: pos(d[0]) }) %}
       | ref                       {% id %}
       | "[" listRest              {% (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) }) %}
       | "{" objectRest            {% (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) }) %}

# What follows an opening bracket of a value, up to its closing one: the items.
listRest -> "]"                    {% () => [] %}
          | values "]"             {% id %}
          | values "," "]"         {% id %}

objectRest -> "}"                  {% () => [] %}
            | members "}"          {% id %}
            | members "," "}"      {% id %}

string -> %string                  {% (d) => ({ kind: 'string', raw: d[0].value, pos: pos(d[0]) }) %}

list -> "[" "]"                    {% (d) => ({ kind: 'list', items: [], pos: pos(d[0]) }) %}
      | "[" values trailingComma "]"   {% (d) => ({ kind: 'list', items: d[1], pos: pos(d[0]) }) %}

values -> value                    {% (d) => [d[0]] %}
        | values "," value         {% (d) => [...d[0], d[2]] %}

object -> "{" "}"                  {% (d) => ({ kind: 'object', members: [], pos: pos(d[0]) }) %}
        | "{" members trailingComma "}"  {% (d) => ({ kind: 'object', members: d[1], pos: pos(d[0]) }) %}

members -> member                  {% (d) => [d[0]] %}
         | members "," member      {% (d) => [...d[0], d[2]] %}

member -> ident ":" value          {% (d) => ({ key: d[0].value, keyRaw: null, keyPos: pos(d[0]), value: d[2] }) %}
        | %string ":" value        {% (d) => ({ key: null, keyRaw: d[0].value, keyPos: pos(d[0]), value: d[2] }) %}

trailingComma -> null | ","

# The head of a reference is an identifier, checked here rather than through `ident`
# (the same test at the same token, one state less).
ref -> %word                       {% (d, _loc, reject) => (isIdent(d[0]) ? { kind: 'ref', name: d[0].value, path: [], pos: pos(d[0]) } : reject) %}
     | ref "." name                {% (d) => ({ ...d[0], path: [...d[0].path, d[2].value] }) %}
     | ref %dotidx                 {% (d) => ({ ...d[0], path: [...d[0].path, Number(d[1].value.slice(1))] }) %}

ident -> %word                     {% identOrReject %}

name -> %word                      {% nameOrReject %}
