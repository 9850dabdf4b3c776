// Loads tree-sitter-bash through web-tree-sitter (docs/shell.md: a maintained parser, never
// regular expressions). Loading costs ~20 ms, so it happens lazily, once per process, when
// the first shell call arrives; describing is synchronous afterwards.
//
// Both wasm files are resolved through the package resolver (createRequire) rather than
// relative to this file, so the same code works from src/, from dist/ and from the gate
// bundle, whose import.meta.url points elsewhere.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Parser as TsParser, Tree } from 'web-tree-sitter';
import { copyTree, type SyntaxNode } from './syntax.js';

const require = createRequire(import.meta.url);

let parser: TsParser | undefined;
let loading: Promise<void> | undefined;

/** Loads the parser once; later calls return the same promise. A failed load may be retried. */
export function loadShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function load(): Promise<void> {
  const { Parser, Language } = await import('web-tree-sitter');
  const runtimeWasm = require.resolve('web-tree-sitter/tree-sitter.wasm');
  await Parser.init({ locateFile: () => runtimeWasm });
  // The bytes, not the path: given a path, web-tree-sitter imports fs/promises, which
  // would start the ES module loader in the gate's CommonJS bundle (scripts/bundle-gate.mjs).
  const bash = await Language.load(readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
  const created = new Parser();
  created.setLanguage(bash);
  parser = created;
}

/** A line needed the parser before it was loaded: describeShell loads it and describes again. */
export class ShellParserNotLoaded extends Error {
  constructor() {
    super('the shell parser is not loaded: call loadShellParser() first');
    this.name = 'ShellParserNotLoaded';
  }
}

export function shellParserLoaded(): boolean {
  return parser !== undefined;
}

/**
 * Parses one command line. The caller must delete() the returned tree. Throws when the
 * parser is not loaded, or when tree-sitter gives up (it returns null when cancelled).
 */
export function parseShellTree(line: string): Tree {
  if (!parser) throw new ShellParserNotLoaded();
  const tree = parser.parse(line);
  if (!tree) throw new Error('the shell parser returned no tree');
  return tree;
}

/**
 * Parses one command line into a plain copy of its tree (src/describe/shell/syntax.ts);
 * the wasm tree is freed before this returns. `root` is null when tree-sitter found a
 * syntax error anywhere in the line (the copy is not made: the line is a parse error).
 */
export function parseShellSyntax(line: string): { root: SyntaxNode | null } {
  const tree = parseShellTree(line);
  try {
    if (tree.rootNode.hasError) return { root: null };
    return { root: copyTree(tree, line) };
  } finally {
    tree.delete();
  }
}
