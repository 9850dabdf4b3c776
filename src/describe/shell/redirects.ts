// Redirections as file and network actions (docs/shell.md). Here-documents and
// here-strings are data: they give no action, but substitutions inside an unquoted one
// still run and are described.

import type { SyntaxNode as Node } from './syntax.js';
import type { ShellWord } from './words.js';
import { wordFromNodes } from './words.js';
import { EffectSet, hiddenCommand } from './sink.js';
import { wordPath } from './bases.js';
import { hostAction } from './network.js';
import { literalWord } from './words.js';
import type { WalkState } from './state.js';
import { unresolvedPath } from '../paths.js';

const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty']);

/** The file descriptor a redirection names (0 for `<` without one). */
function redirectDescriptor(node: Node): number | undefined {
  const fd = node.childForFieldName('descriptor');
  return fd ? Number(fd.text) : undefined;
}

function redirectOperator(node: Node): string {
  for (const child of node.children) if (child && !child.isNamed) return child.type;
  return '';
}

/** The actions of one file redirection. Substitutions in the target are walked by the caller. */
export function fileRedirectActions(node: Node, state: WalkState): void {
  const op = redirectOperator(node);
  const destinations = node.childrenForFieldName('destination').filter((n): n is Node => n !== null);
  if (op === '>&-' || op === '<&-') return;
  if (destinations.length === 0) return;
  if (destinations.some((d) => d.type === 'process_substitution')) return;
  const target = wordFromNodes(destinations, state.source);
  if ((op === '>&' || op === '<&') && target.literal !== undefined && /^([0-9]+-?|-)$/.test(target.literal)) return;
  const reads = op === '<' || op === '<>' || op === '<&';
  const writes = op !== '<' && op !== '<&';
  const effects = new EffectSet();
  targetEffects(target, reads, writes, effects, state);
  effects.flush(state.sink);
}

function targetEffects(target: ShellWord, reads: boolean, writes: boolean, effects: EffectSet, state: WalkState): void {
  const literal = target.literal;
  if (literal !== undefined) {
    if (HARMLESS_TARGETS.has(literal) || /^\/dev\/fd\/[0-9]+$/.test(literal)) return;
    const socket = /^\/dev\/(tcp|udp)\/([^/]+)\/[^/]+$/.exec(literal);
    if (socket) {
      effects.add(hostAction('network.connect', literalWord(socket[2]!)));
      return;
    }
    if (literal.startsWith('/dev/tcp/') || literal.startsWith('/dev/udp/')) {
      effects.add({ cap: 'network.connect', unresolved: [{ what: 'host', why: 'invalid host' }] });
      return;
    }
  } else if (mayBeSocket(target.literalPrefix)) {
    effects.add({ cap: 'network.connect', unresolved: [{ what: 'host', why: 'dynamic host' }] });
  }
  const { attr, reach } = wordPath(target, state.bases, state.ctx);
  if (reads) effects.read(attr, reach);
  if (writes) effects.write(attr, reach);
}

/** Whether a target whose known start is `prefix` may turn out to be /dev/tcp/… or /dev/udp/…. */
function mayBeSocket(prefix: string): boolean {
  return ['/dev/tcp/', '/dev/udp/'].some((socket) => socket.startsWith(prefix) || prefix.startsWith(socket));
}

/**
 * An unquoted here-document's body is expanded: its substitutions are walked by the
 * caller; backticks tree-sitter leaves inside the text stand for commands AEX cannot see.
 */
export function heredocHiddenCommands(node: Node, state: WalkState): void {
  if (heredocQuoted(node)) return;
  const body = node.children.find((c) => c?.type === 'heredoc_body');
  if (!body) return;
  const contents = body.childCount === 0 ? [body] : body.children.filter((c): c is Node => c?.type === 'heredoc_content');
  for (const content of contents) {
    if (hasUnescapedBacktick(content.text)) state.sink.push(hiddenCommand(content.text.trim(), 'dynamic command'));
  }
}

function hasUnescapedBacktick(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`') return true;
  }
  return false;
}

function heredocQuoted(node: Node): boolean {
  const start = node.children.find((c) => c?.type === 'heredoc_start');
  return start !== undefined && start !== null && /['"\\]/.test(start.text);
}

/**
 * The literal script a here-document or here-string feeds to a command's standard input,
 * or undefined when it is not literal (expansions, backticks) or there is none.
 */
export function literalStdin(redirects: readonly Node[], state: WalkState): { text?: string; fed: boolean } {
  for (const node of redirects) {
    const fd = redirectDescriptor(node);
    if (fd !== undefined && fd !== 0) continue;
    if (node.type === 'heredoc_redirect') {
      const body = node.children.find((c) => c?.type === 'heredoc_body');
      const text = body?.text ?? '';
      if (heredocQuoted(node)) return { text, fed: true };
      const plain = body === undefined || body === null || body.namedChildCount === 0 || body.namedChildren.every((c) => c?.type === 'heredoc_content');
      if (plain && !/[$`\\]/.test(text)) return { text, fed: true };
      return { fed: true };
    }
    if (node.type === 'herestring_redirect') {
      const parts = node.namedChildren.filter((c): c is Node => c !== null);
      if (parts.length === 0) return { fed: true };
      const word = wordFromNodes(parts, state.source);
      return word.literal !== undefined ? { text: word.literal, fed: true } : { fed: true };
    }
    if (node.type === 'file_redirect' && (redirectOperator(node) === '<' || redirectOperator(node) === '<>')) return { fed: true };
  }
  return { fed: false };
}

export { unresolvedPath };
