import type { DocumentNode, Stmt, TypeNode, ValueNode } from './ast.js';
import type { Comment } from './lexer.js';
import { printCond, printKey, printRef, printString, printValue } from './print-value.js';
import { visitStatements } from './visit-ast.js';

// The printer: AST → canonical text (docs/cli.md). It is the parser's inverse up
// to layout: compile(format(x)) equals compile(x) apart from `loc`, and
// format(format(x)) === format(x). It keeps every comment and the argument order.

const WIDTH = 100;

type S<T extends Stmt['type']> = Extract<Stmt, { type: T }>;

function printType(t: TypeNode): string {
  const base = t.item ? `${t.base}[${printType(t.item)}]` : t.base;
  return base + '?'.repeat(t.optional);
}

/** Prints a value starting at column `start` of a line indented by `indent`. */
function printValueAt(v: ValueNode, indent: string, start: number, forceBreak = false): string {
  const flat = printValue(v);
  const breakable = (v.kind === 'list' && v.items.length > 0) || (v.kind === 'object' && v.members.length > 0);
  if (!breakable || (!forceBreak && start + flat.length <= WIDTH)) return flat;
  const inner = indent + '  ';
  if (v.kind === 'list') {
    const parts = v.items.map((x, i) => inner + printValueAt(x, inner, inner.length) + (i < v.items.length - 1 ? ',' : ''));
    return `[\n${parts.join('\n')}\n${indent}]`;
  }
  const members = (v as Extract<ValueNode, { kind: 'object' }>).members;
  const parts = members.map((m, i) => {
    const key = `${printKey(m.key)}: `;
    return inner + key + printValueAt(m.value, inner, inner.length + key.length) + (i < members.length - 1 ? ',' : '');
  });
  return `{\n${parts.join('\n')}\n${indent}}`;
}

function lastLineLength(s: string): number {
  const i = s.lastIndexOf('\n');
  return i < 0 ? s.length : s.length - i - 1;
}

class Printer {
  lines: string[] = [];

  blank() {
    if (this.lines.length && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  comments(cs: Comment[], indent: string) {
    for (const c of cs) this.lines.push(indent + c.text.trimEnd());
  }

  /** Emits a statement's text with its comments; `text` may span lines. */
  emit(text: string, indent: string, leading: Comment[], trailing?: Comment) {
    this.comments(leading, indent);
    const withIndent = indent + text;
    this.lines.push(trailing ? `${withIndent} ${trailing.text.trimEnd()}` : withIndent);
  }
}

function stmtComments(s: Stmt): { leading: Comment[]; trailing?: Comment } {
  return { leading: [...s.comments.leading, ...s.comments.inner], trailing: s.comments.trailing };
}

/** Merges the comments of several statements printed as one line. */
function mergedComments(stmts: Stmt[]): { leading: Comment[]; trailing?: Comment } {
  const leading: Comment[] = [];
  const trailing: Comment[] = [];
  for (const s of stmts) {
    leading.push(...s.comments.leading, ...s.comments.inner);
    if (s.comments.trailing) trailing.push(s.comments.trailing);
  }
  if (trailing.length <= 1) return { leading, trailing: trailing[0] };
  return { leading: [...leading, ...trailing] };
}

function hasComments(s: Stmt): boolean {
  return s.comments.leading.length > 0 || s.comments.inner.length > 0 || s.comments.trailing !== undefined;
}

/**
 * The rule lines of one keyword (docs/cli.md): uncommented statements next
 * to each other share one line, as the canonical layout asks; a statement with a
 * comment keeps a line of its own, so each comment stays with the rules it explains
 * (a commented policy such as `aex init --policy` writes is already canonical).
 */
function emitRuleLines(p: Printer, keyword: string, group: S<'rules'>[]): void {
  let run: S<'rules'>[] = [];
  const flush = () => {
    if (!run.length) return;
    const c = mergedComments(run);
    p.emit(`${keyword} ${run.flatMap((g) => g.rules.map((r) => r.text)).join(', ')}`, '', c.leading, c.trailing);
    run = [];
  };
  for (const g of group) {
    if (!hasComments(g)) {
      run.push(g);
      continue;
    }
    flush();
    run = [g];
    flush();
  }
  flush();
}

function stepText(s: Stmt, indent: string): string {
  switch (s.type) {
    case 'do': {
      let head = `do ${s.tool}(`;
      const parts: string[] = [];
      for (const a of s.args) {
        const prefix = `${a.name}=`;
        const start = indent.length + lastLineLength(head + parts.join(', ')) + (parts.length ? 2 : 0) + prefix.length;
        parts.push(prefix + printValueAt(a.value, indent, start));
      }
      head += parts.join(', ') + ')';
      return s.bind ? `${head} -> ${s.bind}` : head;
    }
    case 'make': {
      const inputs = s.inputs.map(printRef).join(', ');
      return `make ${s.bind}: ${s.artifact} from ${inputs} with:`;
    }
    case 'check':
      return `check ${printCond(s.cond)}`;
    case 'return': {
      const force = s.value.kind === 'object' && s.value.members.length >= 2;
      return `return ${printValueAt(s.value, indent, indent.length + 7, force)}`;
    }
    case 'if':
      return `if ${printCond(s.cond)}`;
    case 'for':
      return `for ${s.variable} in ${printRef(s.iter)}`;
    case 'confirm':
      return `confirm before ${s.rule.text}`;
    case 'shell':
      return `shell ${s.tools.map((t) => t.name).join(', ')}`;
    case 'rules':
      return `${s.keyword} ${s.rules.map((r) => r.text).join(', ')}`;
    case 'need':
      return `need ${s.name}: ${printType(s.typeNode)}`;
    case 'goal':
      return `goal ${printString(s.value)}`;
    case 'budget':
      return `budget ${s.items.map((i) => `${i.key}=${i.raw}`).join(', ')}`;
    case 'header':
      return `${s.keyword === 'agent' ? 'task' : s.keyword} ${s.name} ${s.version}`;
  }
}

/** The steps, nested blocks indented two spaces a level, a blank line before each top-level one. */
function printSteps(p: Printer, stmts: Stmt[]) {
  visitStatements(stmts, {
    enter(s, depth) {
      const indent = '  '.repeat(depth);
      if (depth === 0) p.blank();
      const c = stmtComments(s);
      p.emit(stepText(s, indent), indent, c.leading, c.trailing);
    },
    make(s, depth) {
      const inner = '  '.repeat(depth + 1);
      for (const i of s.instructions) {
        p.comments(i.comments, inner);
        p.lines.push(i.text === '' ? `${inner}-` : `${inner}- ${i.text}`);
      }
    },
  });
}

/** Formats a parsed document. The caller must not format documents with syntax errors. */
export function format(doc: DocumentNode): string {
  const p = new Printer();
  const body = doc.body;
  const headers = body.filter((s): s is S<'header'> => s.type === 'header');
  const goals = body.filter((s): s is S<'goal'> => s.type === 'goal');
  const isPolicy = headers[0]?.keyword === 'policy';
  const grants = body.filter((s): s is S<'rules'> => s.type === 'rules' && s.keyword !== 'deny');
  const denies = body.filter((s): s is S<'rules'> => s.type === 'rules' && s.keyword === 'deny');
  const confirms = body.filter((s): s is S<'confirm'> => s.type === 'confirm');
  const shells = body.filter((s): s is S<'shell'> => s.type === 'shell');
  const needs = body.filter((s): s is S<'need'> => s.type === 'need');
  const budgets = body.filter((s): s is S<'budget'> => s.type === 'budget');
  const steps = body.filter((s) => !['header', 'goal', 'rules', 'confirm', 'shell', 'need', 'budget'].includes(s.type));

  for (const h of headers) {
    const c = stmtComments(h);
    p.emit(stepText(h, ''), '', c.leading, c.trailing);
  }
  if (goals.length) {
    p.blank();
    for (const g of goals) {
      const c = stmtComments(g);
      p.emit(stepText(g, ''), '', c.leading, c.trailing);
    }
  }
  if (grants.length || denies.length || confirms.length || shells.length) p.blank();
  // In a task, `use` and a (mistaken) `allow` keep their own lines so that the
  // AEX121 error is not silently rewritten into a grant.
  const grantGroups: Array<[string, S<'rules'>[]]> = isPolicy
    ? [['allow', grants]]
    : [
        ['use', grants.filter((g) => g.keyword === 'use')],
        ['allow', grants.filter((g) => g.keyword === 'allow')],
      ];
  for (const [keyword, group] of grantGroups) emitRuleLines(p, keyword, group);
  emitRuleLines(p, 'deny', denies);
  for (const cf of [...confirms, ...shells]) {
    const c = stmtComments(cf);
    p.emit(stepText(cf, ''), '', c.leading, c.trailing);
  }
  if (needs.length) {
    p.blank();
    for (const n of needs) {
      const c = stmtComments(n);
      p.emit(stepText(n, ''), '', c.leading, c.trailing);
    }
  }
  if (budgets.length) {
    p.blank();
    const merged = new Map<string, string>();
    for (const b of budgets) for (const it of b.items) merged.set(it.key, it.raw);
    const keys = [...merged.keys()].sort((a, b) => (a === 'calls' ? -1 : b === 'calls' ? 1 : 0));
    const c = mergedComments(budgets);
    p.emit(`budget ${keys.map((k) => `${k}=${merged.get(k)}`).join(', ')}`, '', c.leading, c.trailing);
  }
  printSteps(p, steps);
  if (doc.trailingComments.length) {
    p.blank();
    p.comments(doc.trailingComments, '');
  }
  while (p.lines.length && p.lines[p.lines.length - 1] === '') p.lines.pop();
  return p.lines.map((l) => l.replace(/[ \t]+$/, '')).join('\n') + '\n';
}

