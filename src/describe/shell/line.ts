// Parses and walks one command-line text: the whole line given to the describer, or a
// literal command string found inside it (sh -c, eval, su -c, a here-document fed to a
// shell), parsed recursively up to MAX_DEPTH levels.

import type { SyntaxNode as Node } from './syntax.js';
import { syntaxOf } from './syntax-cache.js';
import { MAX_DEPTH, WholeLineUnresolved, type WalkState } from './state.js';
import { walk } from './walk.js';
import { hiddenCommand } from './sink.js';

export const MAX_LINE_LENGTH = 64 * 1024;

/** Describes `text` into state.sink. Throws WholeLineUnresolved for what makes the line unreadable. */
export function describeText(text: string, state: WalkState): void {
  if (state.depth > MAX_DEPTH) {
    state.sink.push(hiddenCommand(text, 'dynamic command: nested too deep'));
    return;
  }
  if (text.length > MAX_LINE_LENGTH) throw new WholeLineUnresolved('too long');
  if (text.includes('\0')) throw new WholeLineUnresolved('parse error');
  const root = syntaxOf(text);
  if (root === null) throw new WholeLineUnresolved('parse error');
  if (!gapsChecked.has(root)) {
    checkGaps(root, text);
    gapsChecked.add(root);
  }
  walk(root, { ...state, source: text });
}

/** Describes a command string run in a new shell (`sh -c`): its `cd` stays inside. */
export function describeNested(text: string, state: WalkState): void {
  describeText(text, { ...state, depth: state.depth + 1 });
}

/**
 * Trees (of cached lines, src/describe/shell/syntax-cache.ts) whose gaps passed the
 * check: a pure function of the tree and its text, and a tree is only ever made from
 * one text. A tree that failed is not recorded, so it is checked (and fails) again.
 */
const gapsChecked = new WeakSet<Node>();

/** Node types whose text is data; only substitutions inside them are checked. */
const OPAQUE = new Set(['string', 'heredoc_body', 'translated_string', 'raw_string', 'ansi_c_string', 'comment', 'heredoc_content', 'string_content', 'word', 'regex', 'extglob_pattern', 'heredoc_start', 'heredoc_end']);
const INNER_COMMANDS = new Set(['command_substitution', 'process_substitution', 'expansion', 'simple_expansion', 'arithmetic_expansion']);

/**
 * Tree-sitter skips characters bash does not treat as blanks (a lone `\r`, form feeds)
 * and splits words at a backslash-newline that bash joins (`ec\<newline>ho`). Anything
 * between two tokens other than blanks, newlines and line continuations after a blank
 * means the two parsers may disagree: the line is a parse error.
 */
function checkGaps(root: Node, text: string): void {
  let position = 0;
  const gap = (end: number, between: boolean) => {
    const between_ = text.slice(position, end);
    if (!isBlankGap(between_, between)) throw new WholeLineUnresolved('parse error');
  };
  const visit = (node: Node) => {
    if (node.childCount === 0 || OPAQUE.has(node.type)) {
      gap(node.startIndex, position > 0);
      position = node.endIndex;
      if (OPAQUE.has(node.type)) {
        for (const inner of node.descendantsOfType([...INNER_COMMANDS])) {
          if (!inner || inner.parent === null) continue;
          if (inner.type !== 'command_substitution' && inner.type !== 'process_substitution') continue;
          const saved = position;
          position = inner.startIndex;
          for (const child of inner.children) if (child) visit(child);
          position = saved;
        }
      }
      return;
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  gap(text.length, false);
}

function isBlankGap(gap: string, between: boolean): boolean {
  let blanks = 0;
  for (let i = 0; i < gap.length; i++) {
    const c = gap[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      blanks++;
      continue;
    }
    if (c === '\\' && gap[i + 1] === '\n') {
      i++;
      continue;
    }
    return false;
  }
  // Only line continuations between two tokens: bash joins them into one word.
  return !(between && gap.length > 0 && blanks === 0);
}
