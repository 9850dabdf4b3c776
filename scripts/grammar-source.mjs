import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nearley = require('nearley');
const compile = require('nearley/lib/compile.js');
const generate = require('nearley/lib/generate.js');
const nearleyGrammar = require('nearley/lib/nearley-language-bootstrapped.js');

/** Compiles nearley grammar text to the TypeScript parser module we check in. */
export function generateGrammarSource(text) {
  const parser = new nearley.Parser(nearley.Grammar.fromCompiled(nearleyGrammar));
  parser.feed(text);
  if (parser.results.length === 0) throw new Error("grammar/aex.ne: incomplete grammar");
  // nearleyc takes the first parse as well; the grammar language itself is ambiguous in places.
  const compiled = compile(parser.results[0], { args: ['grammar/aex.ne'] });
  // nearley prefixes its helper with a blanket @ts-ignore for noUnusedLocals, which this
  // project does not enable; drop it so the generated parser is type-checked in full.
  const ts = generate(compiled, 'grammar').replace('// Bypasses TS6133. Allow declared but unused functions.\n// @ts-ignore\n', '');
  return '// GENERATED from grammar/aex.ne by scripts/build-grammar.mjs. Do not edit.\n' + ts;
}
