import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateSchemaCheckSource } from '../../scripts/schema-check-source.mjs';
import { checkIRv1, checkIRv2 } from '../../src/ir/schema-check.generated.js';
import { compileSource } from '../../src/compiler/index.js';

const root = join(__dirname, '..', '..');

it('the checked-in IR schema checks are exactly what scripts/schema-check-source.mjs generates from schemas/', () => {
  const fresh = generateSchemaCheckSource(join(root, 'schemas') + '/');
  expect(readFileSync(join(root, 'src', 'ir', 'schema-check.generated.ts'), 'utf8')).toBe(fresh);
});

it('the generated checks accept compiled IR and refuse what the schemas refuse', () => {
  const v1 = compileSource('task t v1\ngoal "g"\nuse a.b\ndo a.b(x=[1, {k: "v"}]) -> r\nreturn r\n').ir;
  const v2 = compileSource('task t v1\ngoal "g"\nuse a.b where x == 1\ndo a.b(x=1) -> r\nreturn r\n').ir;
  expect(v1?.irVersion).toBe('aex-ir/1');
  expect(v2?.irVersion).toBe('aex-ir/2');
  expect(checkIRv1(v1)).toBe(true);
  expect(checkIRv2(v2)).toBe(true);
  // Each schema refuses the other's version, an unknown field, a bad name and a bad step.
  expect(checkIRv1(v2)).toBe(false);
  expect(checkIRv1({ ...v1, extra: true })).toBe(false);
  expect(checkIRv1({ ...v1, name: 'a b' })).toBe(false);
  expect(checkIRv1({ ...v1, steps: [{ op: 'call', tool: 'a.b', args: [], bind: 'not valid' }] })).toBe(false);
  expect(checkIRv2({ ...v2, shells: undefined })).toBe(false);
  expect(checkIRv2({ ...v2, irVersion: 'aex-ir/1' })).toBe(false);
});
