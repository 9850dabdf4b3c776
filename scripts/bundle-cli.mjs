// Bundles `aex check` (dist/cli/check-entry.js) and `aex compile`/`parse`/`fmt`
// (dist/cli/compile-entry.js), each with everything it imports, into one CommonJS file in
// dist/cli/bundle/, with its V8 code cache beside it, loaded by bin/aex.js the way the gate's
// bundles are (bin/gate-loader.js). A cold process otherwise spends most of its time starting
// the ES module loader and compiling modules it compiled a moment ago; see bench/compile.mjs
// for the figures.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

// Two folders below dist/, as dist/runtime/policy/ is: the policy loader needs the compiler only
// for a policy it has not compiled before, and requires it by a path relative to its own folder.
const outDir = 'dist/cli/bundle';
// One bundle per entry: `aex check` should not pay for loading the IR schema check and
// printer it never runs, nor `aex compile` for the policy loader.
const entries = [
  { input: 'dist/cli/check-entry.js', file: 'check.bundle.cjs' },
  { input: 'dist/cli/compile-entry.js', file: 'compile.bundle.cjs' },
];
rmSync(outDir, { recursive: true, force: true });

/**
 * Gives each bundled module the import.meta.url it has unbundled, the URL of its own file in
 * dist/ (worked out from the bundle's folder at run time): modules find files by paths relative
 * to themselves (src/ir/validate.ts reads schemas/ as '../../schemas/'), which would otherwise
 * be taken relative to the bundle and miss.
 */
const ownImportMetaUrl = {
  name: 'aex-own-import-meta-url',
  transform(code, id) {
    if (!code.includes('import.meta')) return null;
    const rel = relative(resolve(outDir), id).split(sep).join('/');
    // __dirname is the bundle's folder: the loader (bin/gate-loader.js) passes it as require() would.
    const url = `aexBundledPathToFileURL(aexBundledJoin(__dirname, ${JSON.stringify(rel)})).href`;
    const head = "import { pathToFileURL as aexBundledPathToFileURL } from 'node:url';\nimport { join as aexBundledJoin } from 'node:path';\n";
    const out = head + code.replaceAll('import.meta.url', `(${url})`);
    if (out.includes('import.meta')) throw new Error(`${id}: import.meta other than import.meta.url cannot be bundled`);
    return { code: out };
  },
};

for (const entry of entries) {
  await build({
    input: entry.input,
    platform: 'node',
    logLevel: 'warn',
    plugins: [ownImportMetaUrl],
    output: {
      file: `${outDir}/${entry.file}`,
      format: 'cjs',
      charset: 'ascii',
      comments: { legal: true, annotation: true, jsdoc: false },
      // One file: import() becomes inline code, which a script compiled from a code cache needs.
      codeSplitting: false,
      dynamicImportInCjs: false,
    },
  });

  const file = `${outDir}/${entry.file}`;
  const code = readFileSync(file, 'utf8');
  if (/\bimport\s*\(/.test(code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) throw new Error(`${file} still contains import()`);
  // The build id names the code cache (V8 checks a cache against the source's length only).
  const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
  writeFileSync(file, `// aex-gate-build ${id}\n${code}`);
}

// The caches, made by running each bundle on a small document in a process of its own (its V8 flags are a CLI's).
const warm = spawnSync(process.execPath, [fileURLToPath(new URL('./cli-code-cache.cjs', import.meta.url))], { stdio: 'inherit' });
if (warm.status !== 0) throw new Error(`scripts/cli-code-cache.cjs failed (exit ${warm.status ?? warm.signal})`);
