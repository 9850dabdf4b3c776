import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Ajv2020 } = require('ajv/dist/2020.js');
const standaloneCode = require('ajv/dist/standalone/index.js').default;

// The schemas whose checks run on every compile: their validators are generated at build
// time, so a process does not load ajv and compile the schema (which cost more than
// compiling a 10,000-line contract). Options are the ones src/ir/validate.ts uses for
// its first-error check; tests/compiler/schema-check-drift.test.ts proves the checked-in
// file is what this produces from schemas/.
export const PRECOMPILED = [
  { name: 'checkIRv1', schema: 'aex-ir.schema.json' },
  { name: 'checkIRv2', schema: 'aex-ir-v2.schema.json' },
];

/** TypeScript source of src/ir/schema-check.generated.ts, from the schemas in `schemaDir`. */
export function generateSchemaCheckSource(schemaDir) {
  const parts = PRECOMPILED.map(({ name, schema }) => {
    const ajv = new Ajv2020({ strict: true, allErrors: false, code: { source: true } });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaDir + schema, 'utf8')));
    // CommonJS form, run in its own scope so the two validators' names cannot collide.
    const code = standaloneCode(ajv, validate);
    return `/** schemas/${schema}, stopping at the first error. */\nexport const ${name} = ((module) => {\n${code}\nreturn module.exports;\n})({ exports: {} }) as SchemaCheck;\n`;
  });
  return [
    '// GENERATED from schemas/ by scripts/build-grammar.mjs (scripts/schema-check-source.mjs) with ajv\'s standalone code. Do not edit.',
    '// @ts-nocheck',
    "import { createRequire } from 'node:module';",
    '',
    '// ajv\'s runtime helpers (string length, deep equality), as its generated code requires them.',
    'const require = createRequire(import.meta.url);',
    '',
    '/** A generated schema check: true when the document is valid. */',
    'export type SchemaCheck = (doc: unknown) => boolean;',
    '',
    ...parts,
  ].join('\n');
}
