import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateGrammarSource } from '../../scripts/grammar-source.mjs';

it('the checked-in parser is exactly what nearley generates from grammar/aex.ne', () => {
  const root = join(__dirname, '..', '..');
  const fresh = generateGrammarSource(readFileSync(join(root, 'grammar', 'aex.ne'), 'utf8'));
  expect(readFileSync(join(root, 'src', 'compiler', 'grammar.generated.ts'), 'utf8')).toBe(fresh);
});
