// Bundles `aex check` (dist/cli/check-entry.js and everything it imports) into one CommonJS
// file, dist/cli/bundle/check.bundle.cjs, with its V8 code cache beside it, loaded by bin/aex.js the
// way the gate's bundles are (bin/gate-loader.js). Checking a policy from a cold process
// otherwise spends most of its time starting the ES module loader and compiling modules it
// compiled a moment ago; see bench/compile.mjs for the figures.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

// Two folders below dist/, as dist/runtime/policy/ is: the policy loader needs the compiler only
// for a policy it has not compiled before, and requires it by a path relative to its own folder.
const outDir = 'dist/cli/bundle';
const entry = 'check.bundle.cjs';
rmSync(outDir, { recursive: true, force: true });

await build({
  input: 'dist/cli/check-entry.js',
  platform: 'node',
  logLevel: 'warn',
  output: {
    file: `${outDir}/${entry}`,
    format: 'cjs',
    charset: 'ascii',
    comments: { legal: true, annotation: true, jsdoc: false },
    // One file: import() becomes inline code, which a script compiled from a code cache needs.
    codeSplitting: false,
    dynamicImportInCjs: false,
  },
});

const file = `${outDir}/${entry}`;
const code = readFileSync(file, 'utf8');
if (/\bimport\s*\(/.test(code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) throw new Error(`${file} still contains import()`);
// The build id names the code cache (V8 checks a cache against the source's length only).
const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
writeFileSync(file, `// aex-gate-build ${id}\n${code}`);

// The cache, made by checking a small policy in a process of its own (its V8 flags are a CLI's).
const warm = spawnSync(process.execPath, [fileURLToPath(new URL('./cli-code-cache.cjs', import.meta.url))], { stdio: 'inherit' });
if (warm.status !== 0) throw new Error(`scripts/cli-code-cache.cjs failed (exit ${warm.status ?? warm.signal})`);
