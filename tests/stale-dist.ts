// Vitest global setup: many tests run bin/aex.js, which runs dist/. A dist/ older than any
// source it is built from would test old code and pass or fail for the wrong reason, so the
// run stops at once and says what to do (`npm test` builds first).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SOURCES = ['src', 'grammar', 'bin', 'schemas', 'scripts', 'package.json', 'tsconfig.json'];

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

export default function refuseStaleDist(): void {
  const stamp = path.join(ROOT, 'dist', '.build-stamp');
  if (!existsSync(stamp)) throw new Error('dist/ has not been built: run `npm run build` (or `npm test`, which builds first)');
  const built = statSync(stamp).mtimeMs;
  const changed = SOURCES.map((s) => path.join(ROOT, s)).filter((p) => existsSync(p) && newestMtime(p) > built);
  if (changed.length > 0) {
    throw new Error(`dist/ is older than ${changed.map((p) => path.relative(ROOT, p)).join(', ')}: run \`npm run build\` (or \`npm test\`, which builds first)`);
  }
}
