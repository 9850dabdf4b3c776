// Generates src/compiler/grammar.generated.ts from grammar/aex.ne with nearley's
// own compiler. Run by `npm run build`; tests/compiler/grammar-drift.test.ts proves
// the checked-in file is exactly what this produces.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateGrammarSource } from './grammar-source.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = root + 'src/compiler/grammar.generated.ts';
const source = generateGrammarSource(readFileSync(root + 'grammar/aex.ne', 'utf8'));
let current = '';
try {
  current = readFileSync(out, 'utf8');
} catch {}
if (current !== source) {
  writeFileSync(out + '.tmp', source);
  renameSync(out + '.tmp', out);
  console.log('generated src/compiler/grammar.generated.ts');
}
