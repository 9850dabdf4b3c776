// Generates src/compiler/grammar.generated.ts from grammar/aex.ne with nearley's
// own compiler, and src/ir/schema-check.generated.ts (the IR schema checks, compiled
// ahead of time) from schemas/. Run by `npm run build`; tests/compiler/grammar-drift.test.ts
// and tests/compiler/schema-check-drift.test.ts prove the checked-in files are exactly
// what this produces.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateGrammarSource } from './grammar-source.mjs';
import { generateSchemaCheckSource } from './schema-check-source.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

function writeIfChanged(rel, source) {
  const out = root + rel;
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== source) {
    writeFileSync(out + '.tmp', source);
    renameSync(out + '.tmp', out);
    console.log('generated ' + rel);
  }
}

writeIfChanged('src/compiler/grammar.generated.ts', generateGrammarSource(readFileSync(root + 'grammar/aex.ne', 'utf8')));
writeIfChanged('src/ir/schema-check.generated.ts', generateSchemaCheckSource(root + 'schemas/'));
