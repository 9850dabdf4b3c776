// Walks a tree-sitter-bash tree and describes every simple command wherever it occurs
// (docs/shell.md): lists, pipelines, subshells, groups, control structures (bodies and
// conditions), command and process substitutions — inside arguments, assignments,
// redirection targets and unquoted here-documents — and arithmetic.

import type { SyntaxNode as Node } from './syntax.js';
import { scoped, WholeLineUnresolved, type WalkState } from './state.js';
import { literalWord, wordFromNodes, type ShellWord } from './words.js';
import { describeWords } from './command.js';
import { fileRedirectActions, heredocHiddenCommands } from './redirects.js';
import { assignmentProblems, type Assignment } from './assignments.js';
import { hiddenCommand } from './sink.js';

const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const LOOPS = new Set(['for_statement', 'c_style_for_statement', 'while_statement', 'until_statement']);
const SCOPES = new Set(['subshell', 'command_substitution', 'process_substitution']);

export function walk(node: Node, state: WalkState): void {
  const type = node.type;
  if (type === 'command') return describeCommandNode(node, state, []);
  if (type === 'redirected_statement') return describeRedirected(node, state);
  if (type === 'function_definition') throw new WholeLineUnresolved('unsupported: function definition');
  if (type === 'declaration_command' || type === 'unset_command') return describeDeclaration(node, state);
  if (type === 'test_command') return describeTest(node, state);
  if (type === 'variable_assignment' && node.parent?.type !== 'c_style_for_statement') return describeStandaloneAssignment(node, state);
  if (REDIRECTS.has(type)) return walkRedirect(node, state);
  if (type === 'comment' || type === 'heredoc_start' || type === 'heredoc_end') return;
  if (type === 'pipeline') {
    for (const child of node.namedChildren) if (child) walk(child, scoped(state));
    return;
  }
  if (SCOPES.has(type)) {
    const inner = scoped(state);
    for (const child of node.namedChildren) if (child) walk(child, inner);
    return;
  }
  if (LOOPS.has(type) && containsCd(node)) state.bases = null;
  for (const child of node.namedChildren) if (child) walk(child, state);
}

/** A later iteration of a loop runs where an earlier one's `cd` left it. */
function containsCd(node: Node): boolean {
  if (node.type === 'command_name' && ['cd', 'pushd', 'popd'].includes(node.text)) return true;
  return node.namedChildren.some((child) => child !== null && containsCd(child));
}

function describeRedirected(node: Node, state: WalkState): void {
  const body = node.childForFieldName('body');
  const isBody = (c: Node) => body !== null && c.id === body.id;
  const redirects = node.namedChildren.filter((c): c is Node => c !== null && !isBody(c) && REDIRECTS.has(c.type));
  if (body?.type === 'command') describeCommandNode(body, state, redirects);
  else if (body) walk(body, state);
  for (const child of node.namedChildren) {
    if (!child || isBody(child)) continue;
    walk(child, state);
  }
}

function walkRedirect(node: Node, state: WalkState): void {
  if (node.type === 'file_redirect') {
    for (const child of node.namedChildren) if (child) walk(child, state);
    fileRedirectActions(node, state);
    return;
  }
  if (node.type === 'heredoc_redirect') {
    heredocHiddenCommands(node, state);
    const quoted = node.children.some((c) => c?.type === 'heredoc_start' && /['"\\]/.test(c.text));
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'heredoc_body') {
        if (!quoted) for (const part of child.namedChildren) if (part) walk(part, scoped(state));
        continue;
      }
      walk(child, state);
    }
    return;
  }
  for (const child of node.namedChildren) if (child) walk(child, state);
}

/** Argument nodes that touch (no blank between) are one shell word. */
function groupWords(nodes: readonly Node[], source: string): ShellWord[] {
  const groups: Node[][] = [];
  for (const node of nodes) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1]!.endIndex === node.startIndex) last.push(node);
    else groups.push([node]);
  }
  return groups.map((group) => wordFromNodes(group, source));
}

function readAssignment(node: Node, state: WalkState): Assignment {
  const name = node.childForFieldName('name');
  const value = node.childForFieldName('value');
  return {
    name: name?.type === 'variable_name' ? name.text : undefined,
    value: value ? wordFromNodes([value], state.source) : undefined,
    text: node.text,
  };
}

function describeCommandNode(node: Node, state: WalkState, outerRedirects: readonly Node[]): void {
  const assignments: Assignment[] = [];
  const wordNodes: Node[] = [];
  const redirects: Node[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') assignments.push(readAssignment(child, state));
    else if (REDIRECTS.has(child.type)) redirects.push(child);
    else if (child.type !== 'comment') wordNodes.push(child);
  }
  // Substitutions run before the command itself.
  for (const child of node.namedChildren) {
    if (!child || REDIRECTS.has(child.type)) continue;
    if (child.type === 'variable_assignment') {
      for (const part of child.namedChildren) if (part) walk(part, scoped(state));
    } else {
      walk(child, scoped(state));
    }
  }
  const words = groupWords(wordNodes, state.source);
  describeWords(words, state, { environment: assignmentProblems(assignments), redirects: [...redirects, ...outerRedirects] });
  for (const redirect of redirects) walkRedirect(redirect, state);
}

/** `export`, `local`, `declare`, `readonly`, `typeset`, `unset`: builtins whose words name variables. */
function describeDeclaration(node: Node, state: WalkState): void {
  const keyword = node.children[0]?.type ?? 'declare';
  const assignments: Assignment[] = [];
  const parts: Node[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      for (const part of child.namedChildren) if (part) walk(part, scoped(state));
      assignments.push(readAssignment(child, state));
    } else {
      walk(child, scoped(state));
      parts.push(child);
    }
  }
  const words = [literalWord(keyword), ...groupWords(parts, state.source)];
  for (const a of assignments) words.push(a.value && a.value.literal === undefined ? { ...a.value, text: a.text, arg: { unknown: 'one', text: a.text } } : literalWord(a.text));
  const problems = keyword === 'unset' ? [] : assignmentProblems(assignments, true);
  state.sink.exec(words, problems);
}

/** `[ … ]`, `[[ … ]]`: the program `test` with the expression's words. */
function describeTest(node: Node, state: WalkState): void {
  const leaves: Node[] = [];
  const collect = (n: Node) => {
    if (n.type === 'command_substitution' || n.type === 'process_substitution') {
      walk(n, scoped(state));
      leaves.push(n);
      return;
    }
    const wordLike = ['word', 'string', 'raw_string', 'ansi_c_string', 'concatenation', 'simple_expansion', 'expansion', 'number', 'test_operator', 'regex', 'arithmetic_expansion', 'translated_string', 'extglob_pattern'];
    if (wordLike.includes(n.type) || n.childCount === 0) {
      for (const inner of n.descendantsOfType(['command_substitution', 'process_substitution'])) if (inner) walk(inner, scoped(state));
      leaves.push(n);
      return;
    }
    for (const child of n.children) if (child) collect(child);
  };
  for (const child of node.children.slice(1, -1)) if (child) collect(child);
  const words = [{ arg: 'test', text: 'test', literal: 'test', literalPrefix: 'test' }, ...groupWords(leaves, state.source)];
  state.sink.exec(words);
}

function describeStandaloneAssignment(node: Node, state: WalkState): void {
  for (const child of node.namedChildren) if (child) walk(child, scoped(state));
  const problems = assignmentProblems([readAssignment(node, state)], true);
  if (problems.length > 0) state.sink.push({ ...hiddenCommand(node.text, problems[0]!.why, problems[0]!.what), unresolved: problems });
}
