import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCircles } from '../../scripts/import-circles.mjs';

// The modules of src/ import one another as a tree: no file needs one that (through others)
// needs it back. The shell describer is recursive (a command substitution holds a script, a
// wrapper holds a command), so its lower files reach the upper ones through the walk state
// (src/describe/shell/state.ts Recursion), not through imports.
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

describe('import graph of src/', () => {
  it('has no import circles', () => {
    const { files, circles } = importCircles(SRC);
    expect(files).toBeGreaterThan(100);
    expect(circles).toEqual([]);
  });

  it('has none even counting type-only imports', () => {
    expect(importCircles(SRC, { types: true }).circles).toEqual([]);
  });

  it('finds circles through value imports, and through type-only ones when asked to', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aex-import-circles-'));
    try {
      mkdirSync(path.join(dir, 'sub'));
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './sub/b.js';\nexport const a = () => b();\n");
      writeFileSync(path.join(dir, 'sub', 'b.ts'), "export {\n  c as b,\n} from '../c.js';\n");
      writeFileSync(path.join(dir, 'c.ts'), "// import { a } from './a.js' (a comment: not an import)\nexport async function c() {\n  return (await import('./a.js')).a;\n}\n");
      writeFileSync(path.join(dir, 'd.ts'), "import type { E } from './e.js';\nexport interface D { e?: E }\n");
      writeFileSync(path.join(dir, 'e.ts'), "import { type D } from './d.js';\nexport type E = D;\n");
      writeFileSync(path.join(dir, 'leaf.ts'), "import './a.js';\n");
      expect(importCircles(dir).circles).toEqual([['a.ts', 'c.ts', path.join('sub', 'b.ts')]]);
      expect(importCircles(dir, { types: true }).circles).toEqual([['a.ts', 'c.ts', path.join('sub', 'b.ts')], ['d.ts', 'e.ts']].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
