// Finds import circles among the TypeScript files under a folder (src/ by default): groups of
// files that import one another, directly or through others. A circle makes the load order
// matter (a module may run before one it needs has finished) and makes a file impossible to
// understand or test without the ones above it. tests/describe/import-graph.test.ts keeps
// src/ free of them.
//   node scripts/import-circles.mjs [DIR] [--types]
// Only relative imports count. Type-only ones (`import type`, `export type … from`) vanish
// when compiled, so they are left out unless --types is given.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.m?ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

/** Each file → the files it imports (relative specifiers `./x.js` name `./x.ts`). */
export function importGraph(dir, { types = false } = {}) {
  const files = new Set(sourceFiles(path.resolve(dir)));
  const graph = new Map();
  for (const file of files) {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps = new Set();
    for (const m of code.matchAll(IMPORT)) {
      if (m[1] !== undefined && !types) continue;
      const target = path.resolve(path.dirname(file), m[2] ?? m[3]).replace(/\.(m?)js$/, '.$1ts');
      if (files.has(target)) deps.add(target);
    }
    graph.set(file, [...deps]);
  }
  return graph;
}

/** The circles: every group of two or more files that reach one another (Tarjan's algorithm). */
export function importCircles(dir, options) {
  const graph = importGraph(dir, options);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const circles = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const dep of graph.get(file)) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(file, Math.min(low.get(file), low.get(dep)));
      } else if (onStack.has(dep)) {
        low.set(file, Math.min(low.get(file), index.get(dep)));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      group.push(path.relative(path.resolve(dir), member));
    } while (member !== file);
    if (group.length > 1) circles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return { files: graph.size, circles };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? 'src';
  const { files, circles } = importCircles(dir, { types: args.includes('--types') });
  for (const group of circles) console.log(`circle: ${group.join(' ')}`);
  console.log(`${files} files under ${dir}, ${circles.length} import circle${circles.length === 1 ? '' : 's'}`);
  process.exitCode = circles.length === 0 ? 0 : 1;
}
