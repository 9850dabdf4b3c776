// The syntax tree of the plainest command lines without starting the shell parser.
//
// Most shell calls an agent makes are a few programs and their words, joined by `&&`,
// `||`, `|` or `;` (`git status`, `npm test && git diff --stat`, `cat a.ts | grep -n x`).
// Loading tree-sitter-bash costs a one-shot gate process more than describing the line
// (V8 compiles the grammar's WebAssembly afresh in every process), so for a line in which
// bash can see nothing but words split at spaces and those four operators, this file
// builds the very tree tree-sitter-bash would build, and the parser is never loaded.
//
// The subset is chosen so that there is nothing to interpret: words of the characters
// [A-Za-z0-9_./:+,-] only, so no quoting, escaping, expansion, globbing, redirection,
// assignment, background job, comment or line break can occur; the operators `&&`, `||`,
// `|` and `;` only as tokens of their own between two commands; no word that tree-sitter
// reads as a number (a leading digit or sign-and-digit); each command's first word of
// letters, digits, `_`, `.`, `/` and `-` only, not starting with a digit or `-`, and not
// one the grammar gives a node of its own (reserved words, declaration and unset
// commands). The grammar has quirks beyond bash's own rules (a command name ending in
// `%`, holding `@` or `+:` is an error to it; a lone `-` before an assignment vanishes),
// which is why the subset is this narrow. Anything else returns null and goes to the
// parser. tests/describe/shell-simple-line.test.ts holds these trees equal to
// tree-sitter's, node for node, over a large set of generated lines.

import { freezeTree, SyntaxNode } from './syntax.js';

const PLAIN_LINE = /^[A-Za-z0-9_./:+,&|; -]+$/;
const PLAIN_WORD = /^[A-Za-z0-9_./:+,-]+$/;
/** A command name: a letter, `_`, `.` or `/`, then those, digits and `-` (the grammar reads more apart). */
const PLAIN_NAME = /^[A-Za-z_./][A-Za-z0-9_./-]*$/;
const NUMBER_START = /^[-+.]?[0-9]/;
/** First words tree-sitter-bash turns into nodes of their own (or that bash reads as syntax). */
const SPECIAL_FIRST = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in',
  'function', 'time', 'coproc', 'declare', 'typeset', 'export', 'readonly', 'local', 'unset', 'unsetenv',
]);
const OPERATORS = new Set(['&&', '||', '|', ';']);

/** A node to be made: its type, span, field and children (operators are anonymous). */
interface Spec {
  type: string;
  named: boolean;
  start: number;
  end: number;
  field: string | null;
  children: Spec[];
}

type Token = { text: string; start: number; end: number };

const spec = (type: string, start: number, end: number, children: Spec[] = [], field: string | null = null, named = true): Spec => ({ type, named, start, end, field, children });
const operator = (t: Token): Spec => spec(t.text, t.start, t.end, [], null, false);

/** One simple command's words; null when it is not plain. */
function command(words: Token[]): Spec | null {
  if (words.length === 0) return null;
  const [name, ...args] = words as [Token, ...Token[]];
  if (!PLAIN_NAME.test(name.text) || SPECIAL_FIRST.has(name.text)) return null;
  for (const w of words) if (!PLAIN_WORD.test(w.text) || NUMBER_START.test(w.text)) return null;
  const last = words[words.length - 1]!;
  return spec('command', name.start, last.end, [
    spec('command_name', name.start, name.end, [spec('word', name.start, name.end)], 'name'),
    ...args.map((a) => spec('word', a.start, a.end, [], 'argument')),
  ]);
}

/** Splits tokens at every operator in `ops`: the parts, and the operators between them. */
function split(tokens: Token[], ops: ReadonlySet<string>): { parts: Token[][]; between: Token[] } {
  const parts: Token[][] = [[]];
  const between: Token[] = [];
  for (const t of tokens) {
    if (ops.has(t.text)) {
      between.push(t);
      parts.push([]);
    } else parts[parts.length - 1]!.push(t);
  }
  return { parts, between };
}

/** `a | b | c`: one flat pipeline node; a lone command stands for itself. */
function pipeline(tokens: Token[]): Spec | null {
  const { parts, between } = split(tokens, new Set(['|']));
  const commands: Spec[] = [];
  for (const p of parts) {
    const c = command(p);
    if (c === null) return null;
    commands.push(c);
  }
  if (commands.length === 1) return commands[0]!;
  const children: Spec[] = [];
  commands.forEach((c, i) => {
    if (i > 0) children.push(operator(between[i - 1]!));
    children.push(c);
  });
  return spec('pipeline', commands[0]!.start, commands[commands.length - 1]!.end, children);
}

/** `a && b || c`: lists nest to the left, each joining the list so far and one pipeline. */
function andOr(tokens: Token[]): Spec | null {
  const { parts, between } = split(tokens, new Set(['&&', '||']));
  let acc: Spec | null = null;
  for (const [i, p] of parts.entries()) {
    const next = pipeline(p);
    if (next === null) return null;
    // Beside `&&` or `||`, the grammar nests a pipeline of three or more commands in its
    // own way (`a | b | c && d` is a pipeline holding a list): left to the parser.
    if (parts.length > 1 && next.type === 'pipeline' && next.children.length > 3) return null;
    acc = acc === null ? next : spec('list', acc.start, next.end, [acc, operator(between[i - 1]!), next]);
  }
  return acc;
}

function materialize(s: Spec, parent: SyntaxNode | null, line: string, ids: { next: number }): SyntaxNode {
  const node = new SyntaxNode(ids.next++, s.type, s.named, s.start, s.end, s.field, parent, line);
  for (const c of s.children) {
    const child = materialize(c, node, line, ids);
    node.children.push(child);
    if (child.isNamed) node.namedChildren.push(child);
  }
  return node;
}

/** The tree tree-sitter-bash gives `line`, when `line` is in the plain subset above; else null. */
export function simpleLineSyntax(line: string): SyntaxNode | null {
  if (!PLAIN_LINE.test(line)) return null;
  const tokens: Token[] = [];
  const re = /[^ ]+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const text = m[0];
    // An operator glued to a word, or any other use of &, | and ;, is the parser's.
    if (/[&|;]/.test(text) && !OPERATORS.has(text)) return null;
    tokens.push({ text, start: m.index, end: m.index + text.length });
  }
  if (tokens.length === 0) return null;
  const { parts, between } = split(tokens, new Set([';']));
  const children: Spec[] = [];
  for (const [i, p] of parts.entries()) {
    const statement = andOr(p);
    if (statement === null) return null;
    if (i > 0) children.push(operator(between[i - 1]!));
    children.push(statement);
  }
  // The program starts at the first word and runs to the end of the line.
  const root = materialize(spec('program', tokens[0]!.start, line.length, children), null, line, { next: 0 });
  freezeTree(root);
  return root;
}
