// Loads tree-sitter-bash through web-tree-sitter (docs/shell.md: a maintained parser, never
// regular expressions). Loading costs ~20 ms, so it happens lazily, once per process, when
// the first shell call arrives; describing is synchronous afterwards.
//
// Both wasm files are resolved through the package resolver (createRequire) rather than
// relative to this file, so the same code works from src/, from dist/ and from the gate
// bundle, whose import.meta.url points elsewhere.
//
// How the WebAssembly is loaded matters to `aex gate`, which loads the parser for one command
// line and exits (docs/benchmarks.md). Both modules are compiled and instantiated
// synchronously, here: web-tree-sitter's own path compiles each file asynchronously, and every
// asynchronous step waits for one of V8's background threads and then for the event loop,
// which on a busy machine can take milliseconds each. V8 still compiles their functions
// lazily, each on first call. None of this can change a parse: the same bytes, compiled by
// the same engine.

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

/**
 * The Emscripten options web-tree-sitter passes through to its runtime. Emscripten makes the
 * object the runtime's own `Module`, so after Parser.init it also carries the runtime's
 * functions (loadWebAssemblyModule).
 */
interface RuntimeOptions {
  instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  loadWebAssemblyModule?: (binary: Uint8Array | WebAssembly.Module, flags: { loadAsync?: boolean }, ...rest: unknown[]) => unknown;
}

async function load(): Promise<void> {
  const runtime = new WebAssembly.Module(readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')));
  const grammarBytes = readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const grammar = new WebAssembly.Module(grammarBytes);
  const { Parser, Language } = await import('web-tree-sitter');
  const options: RuntimeOptions = {
    instantiateWasm(imports, done) {
      done(new WebAssembly.Instance(runtime, imports), runtime);
      return {};
    },
  };
  await Parser.init(options);
  // Language.load hands the grammar's bytes to the runtime's loader, which would compile them
  // again, asynchronously: it is given the module compiled above, instantiated at once. Should
  // a later web-tree-sitter load languages another way, this is not used and only costs time.
  const loadModule = options.loadWebAssemblyModule;
  if (typeof loadModule === 'function') {
    options.loadWebAssemblyModule = (binary, flags, ...rest) =>
      binary === grammarBytes ? loadModule(grammar, { ...flags, loadAsync: false }, ...rest) : loadModule(binary, flags, ...rest);
  }
  // The bytes, not the path: given a path, web-tree-sitter imports fs/promises, which
  // would start the ES module loader in the gate's CommonJS bundle (scripts/bundle-gate.mjs).
  const bash = await Language.load(grammarBytes);
  const created = new Parser();
  created.setLanguage(bash);
  parser = created;
}

export function shellParserLoaded(): boolean {
  return parser !== undefined;
}

/**
 * Parses one command line. The caller must delete() the returned tree. Throws when the
 * parser is not loaded, or when tree-sitter gives up (it returns null when cancelled).
 */
export function parseShellTree(line: string): Tree {
  if (!parser) throw new Error('the shell parser is not loaded: call loadShellParser() first');
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
