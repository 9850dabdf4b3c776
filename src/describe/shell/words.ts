// Quote removal for one shell word (docs/shell.md, docs/design.md#unresolved-parts). A word is read from its
// tree-sitter nodes as a list of pieces, each literal text or an expansion, each quoted
// or not; from those pieces follow the argv value, whether the word is unknown, and (for
// an unquoted glob with only literal parts) the literal directory prefix it may reach.

import type { SyntaxNode as Node } from './syntax.js';
import type { ArgWord } from '../types.js';
import { decodeAnsiC } from './ansi-c.js';

/** One word of a simple command, with what the describer needs beyond its argv value. */
export interface ShellWord {
  arg: ArgWord;
  /** The word as written in the command line. */
  text: string;
  /** The value after quote removal when the word is fully known. */
  literal?: string;
  /** For an unquoted glob whose other parts are literal: the directory it searches. */
  globPrefix?: string;
  /** The word starts with a quoted `~`, which the shell does not expand. */
  tildeQuoted?: boolean;
  /** The known text before the first unknown part (all of it for a literal word). */
  literalPrefix: string;
  /** A process substitution `<(…)`: a /dev/fd/N pipe, not a file. */
  pipe?: boolean;
}

interface Piece {
  text: string;
  quoted: boolean;
  /** An expansion, substitution or anything else whose value is not known here. */
  dynamic?: boolean;
}

/** A literal word made by the describer itself (xargs tails, wrapper results). */
export function literalWord(value: string): ShellWord {
  return { arg: value, text: value, literal: value, literalPrefix: value };
}

/** An unknown word ("many": an unquoted expansion, "one": a quoted one). */
export function unknownWord(text: string, unknown: 'one' | 'many'): ShellWord {
  return { arg: { unknown, text }, text, literalPrefix: '' };
}

/**
 * Reads one word from one node or from several adjacent nodes (tree-sitter sometimes
 * splits what the shell reads as one word, e.g. `$"x"`; adjacent nodes are joined).
 */
export function wordFromNodes(nodes: readonly Node[], source: string): ShellWord {
  const pieces: Piece[] = [];
  for (const node of nodes) collectPieces(node, pieces);
  const first = nodes[0]!;
  const last = nodes[nodes.length - 1]!;
  const text = source.slice(first.startIndex, last.endIndex);
  return wordFromPieces(pieces, text);
}

function collectPieces(node: Node, out: Piece[]): void {
  switch (node.type) {
    case 'word':
    case 'command_name':
      if (node.type === 'command_name' && node.namedChildCount > 0) {
        for (const child of node.namedChildren) if (child) collectPieces(child, out);
        return;
      }
      unquotedText(node.text, out);
      return;
    case 'number':
    case 'test_operator':
    case 'regex':
    case 'variable_name':
      unquotedText(node.text, out);
      return;
    case 'string':
      doubleQuoted(node, out);
      return;
    case 'raw_string':
      out.push({ text: node.text.slice(1, -1), quoted: true });
      return;
    case 'ansi_c_string': {
      const decoded = decodeAnsiC(node.text.slice(2, -1));
      out.push(decoded === undefined ? { text: node.text, quoted: true, dynamic: true } : { text: decoded, quoted: true });
      return;
    }
    case 'concatenation':
      for (const child of node.children) if (child) collectPieces(child, out);
      return;
    case 'process_substitution':
      // Stands for one /dev/fd/N path whose commands are described separately.
      out.push({ text: node.text, quoted: true, dynamic: true });
      return;
    default:
      // Expansions, substitutions, brace expressions, translated strings, a stray `$`
      // token, and any node type not listed: unknown, and unquoted (may be many words).
      out.push({ text: node.text, quoted: false, dynamic: true });
  }
}

/** Unquoted text: a backslash quotes the next character; backslash-newline vanishes. */
function unquotedText(text: string, out: Piece[]): void {
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      if (plain) out.push({ text: plain, quoted: false });
      plain = '';
      const next = text[++i]!;
      if (next !== '\n') out.push({ text: next, quoted: true });
      continue;
    }
    plain += c;
  }
  if (plain) out.push({ text: plain, quoted: false });
}

/**
 * Inside double quotes a backslash quotes only $ ` " \ and newline. Text tree-sitter
 * leaves between the string's child nodes (it skips some characters, such as `\r`) is
 * taken from the source, so nothing inside the quotes is lost.
 */
function doubleQuoted(node: Node, out: Piece[]): void {
  const source = node.text;
  const base = node.startIndex;
  let position = 1;
  const literalUpTo = (end: number) => {
    if (end > position) out.push({ text: unescapeDoubleQuoted(source.slice(position, end)), quoted: true });
    position = Math.max(position, end);
  };
  for (const child of node.children) {
    if (!child) continue;
    const start = child.startIndex - base;
    const end = child.endIndex - base;
    if (start === 0 || end === source.length) continue; // the quotes themselves
    if (child.type === 'string_content' || (!child.isNamed && child.type === '$')) continue;
    literalUpTo(start);
    out.push({ text: child.text, quoted: true, dynamic: true });
    position = end;
  }
  literalUpTo(source.length - 1);
  if (!out.length || source.length <= 2) out.push({ text: '', quoted: true });
}

function unescapeDoubleQuoted(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if ('$`"\\'.includes(next)) {
        result += next;
        i++;
        continue;
      }
      if (next === '\n') {
        i++;
        continue;
      }
    }
    result += c;
  }
  return result;
}

interface Char {
  c: string;
  quoted: boolean;
}

function wordFromPieces(pieces: Piece[], text: string): ShellWord {
  let literalPrefix = '';
  for (const piece of pieces) {
    if (piece.dynamic) break;
    literalPrefix += piece.text;
  }
  const dynamic = pieces.filter((p) => p.dynamic);
  if (pieces.length === 1 && dynamic.length === 1 && (text.startsWith('<(') || text.startsWith('>('))) {
    return { arg: { unknown: 'one', text }, text, literalPrefix: '', pipe: true };
  }
  if (dynamic.length > 0) {
    const many = dynamic.some((p) => !p.quoted);
    return { arg: { unknown: many ? 'many' : 'one', text }, text, literalPrefix };
  }
  if (!pieces.some(mayBePattern)) return plainWord(pieces, text, literalPrefix);
  const chars: Char[] = [];
  for (const piece of pieces) for (const c of piece.text) chars.push({ c, quoted: piece.quoted });
  const literal = chars.map((ch) => ch.c).join('');
  const tildeQuoted = chars.length > 0 && chars[0]!.c === '~' && chars[0]!.quoted;
  const pattern = patternKind(chars, literal);
  if (pattern === 'none') {
    return { arg: literal, text, literal, literalPrefix, ...(tildeQuoted ? { tildeQuoted } : {}) };
  }
  const word: ShellWord = { arg: { unknown: 'many', text }, text, literalPrefix: '' };
  if (pattern === 'glob') {
    const prefix = globDirectoryPrefix(chars);
    if (prefix !== undefined) word.globPrefix = prefix;
  }
  return word;
}

/** Characters that may make unquoted text a glob or a brace expansion (see patternKind). */
const PATTERN_CHARS = /[*?[(){]/;

function mayBePattern(piece: Piece): boolean {
  return !piece.quoted && PATTERN_CHARS.test(piece.text);
}

/**
 * A known word with no unquoted pattern character: its literal is its pieces' text
 * (what patternKind would find 'none' for, without one object per character).
 */
function plainWord(pieces: readonly Piece[], text: string, literalPrefix: string): ShellWord {
  let literal = '';
  for (const piece of pieces) literal += piece.text;
  const first = pieces.find((p) => p.text.length > 0);
  const tildeQuoted = first !== undefined && first.quoted && first.text.startsWith('~');
  return { arg: literal, text, literal, literalPrefix, ...(tildeQuoted ? { tildeQuoted } : {}) };
}

/** Whether unquoted characters make the word a glob or a brace expansion. */
function patternKind(chars: Char[], literal: string): 'none' | 'glob' | 'brace' {
  let kind: 'none' | 'glob' | 'brace' = 'none';
  for (let i = 0; i < chars.length; i++) {
    const { c, quoted } = chars[i]!;
    if (quoted) continue;
    if (c === '*' || c === '?') kind = kind === 'brace' ? 'brace' : 'glob';
    else if (c === '[' && chars.slice(i + 1).some((ch) => ch.c === ']')) kind = kind === 'brace' ? 'brace' : 'glob';
    else if (c === '(' || c === ')') return 'brace';
    else if (c === '{' && literal !== '{}' && isBraceExpansion(chars, i)) return 'brace';
  }
  return kind;
}

function isBraceExpansion(chars: Char[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < chars.length; i++) {
    const { c, quoted } = chars[i]!;
    if (quoted) continue;
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        const inner = chars.slice(open + 1, i);
        return inner.some((ch, k) => !ch.quoted && (ch.c === ',' || (ch.c === '.' && inner[k + 1]?.c === '.')));
      }
    }
  }
  return false;
}

/**
 * The literal directories before the first segment with a glob character (`src/*.txt` →
 * `src`, `*.txt` → `` meaning the base directory, `/x/*` → `/x`). Undefined when a glob
 * segment starts with a literal `.`, since `.*` may match `..` and leave the prefix.
 */
function globDirectoryPrefix(chars: Char[]): string | undefined {
  const segments: Char[][] = [[]];
  for (const ch of chars) {
    if (ch.c === '/') segments.push([]);
    else segments[segments.length - 1]!.push(ch);
  }
  const isGlobSegment = (segment: Char[]) =>
    segment.some((ch) => !ch.quoted && (ch.c === '*' || ch.c === '?' || ch.c === '['));
  const index = segments.findIndex(isGlobSegment);
  if (index < 0) return undefined;
  for (const segment of segments.slice(index)) {
    if (isGlobSegment(segment) && segment[0]?.c === '.') return undefined;
  }
  const prefix = segments
    .slice(0, index)
    .map((segment) => segment.map((ch) => ch.c).join(''))
    .join('/');
  if (prefix === '' && index > 0) return '/';
  return prefix;
}

/** The words as one line of text, for an unresolved inner command's record. */
export function commandText(words: readonly ShellWord[]): string {
  return words.map((w) => w.literal ?? w.text).join(' ');
}
