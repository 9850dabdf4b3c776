// Recently parsed command lines. A line's syntax tree is a pure function of its text
// (and of the grammar, loaded once per process), and agents repeat the same commands
// (`git status`, `npm test`), so the copied tree of a line seen recently is reused
// instead of parsing it again. Only the tree is kept: everything that depends on the
// filesystem or the call's context (paths, bases, rules) is worked out afresh each call.
// The copies are frozen (src/describe/shell/syntax.ts), so one call cannot alter what
// the next one reads.

import { parseShellSyntax } from './parser.js';
import { simpleLineSyntax } from './simple-line.js';
import type { SyntaxNode } from './syntax.js';

/** Lines longer than this are parsed every time: the cache is for everyday commands. */
const MAX_CACHED_LINE = 4096;
const MAX_ENTRIES = 256;

/** Insertion order is use order: a hit moves its line to the end, the oldest goes first. */
const recent = new Map<string, SyntaxNode | null>();

/** The line's tree, or null when it has a syntax error (see parseShellSyntax). */
export function syntaxOf(line: string): SyntaxNode | null {
  if (line.length > MAX_CACHED_LINE) return parseShellSyntax(line).root;
  const hit = recent.get(line);
  if (hit !== undefined) {
    recent.delete(line);
    recent.set(line, hit);
    return hit;
  }
  // A plain simple command needs no parser (simple-line.ts): the same tree, built directly.
  const root = simpleLineSyntax(line) ?? parseShellSyntax(line).root;
  if (recent.size >= MAX_ENTRIES) recent.delete(recent.keys().next().value!);
  recent.set(line, root);
  return root;
}

/** Forgets every cached tree (tests). */
export function clearSyntaxCache(): void {
  recent.clear();
}
