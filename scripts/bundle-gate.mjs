// Bundles the `aex gate` entry (dist/gate/bundle-entry.js and everything it
// imports) into CommonJS files in dist/adapters/claude-code/, which bin/gate-loader.js loads:
//
//   gate.bundle.cjs   the hook itself: describers, kernel, policy loader (cache hit)
//   gate-shell.cjs    the shell describer and web-tree-sitter, loaded only when a shell
//                     call arrives (src/describe/index.ts imports it lazily); it takes the
//                     modules it shares with the hook from gate.bundle.cjs
//   gate-help.cjs     the --help text
//   *.v8cache         each bundle's V8 code cache (scripts/gate-code-cache.mjs)
//   gate-*.wasm       the shell parser's WebAssembly (scripts/gate-module.mjs)
//
// CommonJS, not ES modules, because a gate process serves one call and exits, and the ES
// module loader's start-up (its own modules, asynchronous file reads, linking) costs more
// CPU than the whole decision. No file of a cached Read or Bash call is an ES module, so
// that loader never starts. The bundles sit at the same depth as dist/runtime/policy/, so
// the compiler and schema validator, which the policy loader needs only on a cache miss,
// resolve to the same files.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { BUNDLED_FILES } from './gate-module.mjs';

const outDir = 'dist/adapters/claude-code';
const require = createRequire(import.meta.url);

// Bundles and code caches of an earlier build must not be picked up by bin/gate-loader.js.
for (const f of readdirSync(outDir)) if (/^gate[.-].*\.(c?js|v8cache|wasm)$/.test(f)) rmSync(`${outDir}/${f}`);

// Two built-ins, as the gate's own modules import them, become small stand-ins: loading the
// real ones costs a call more CPU than its decision (see each file). Dependencies keep theirs.
const standIns = { crypto: './gate-crypto.mjs', module: './gate-module.mjs' };
const gateBuiltins = {
  name: 'aex-gate-builtins',
  resolveId(source, importer) {
    const name = source.replace(/^node:/, '');
    if (Object.hasOwn(standIns, name) && importer !== undefined && /[\\/]dist[\\/]/.test(importer)) {
      return fileURLToPath(new URL(standIns[name], import.meta.url));
    }
    return null;
  },
};

await build({
  input: { gate: "dist/gate/bundle-entry.js" },
  platform: 'node',
  plugins: [gateBuiltins],
  logLevel: 'warn',
  // web-tree-sitter's Emscripten glue calls eval on purpose; nothing to act on here.
  checks: { eval: false },
  // gate.bundle.cjs also exports what gate-shell.cjs takes from it.
  preserveEntrySignatures: 'allow-extension',
  // web-tree-sitter's CommonJS build: its ES build starts the ES module loader on every
  // Bash call (it imports `module` dynamically and reads import.meta.url).
  resolve: { alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') } },
  output: {
    dir: outDir,
    format: 'cjs',
    // ASCII only, so V8 keeps the source as a one-byte string (half the memory, faster to
    // scan); doc comments are dropped (the sources have them), legal notices kept.
    charset: 'ascii',
    comments: { legal: true, annotation: true, jsdoc: false },
    // import() becomes require(): bin/gate-loader.js compiles the bundles from V8 code caches,
    // and Node 20 cannot import() from a script compiled that way.
    dynamicImportInCjs: false,
    entryFileNames: 'gate.bundle.cjs',
    chunkFileNames: 'gate-[name].cjs',
    // The shell describer's own modules and web-tree-sitter go to the lazy chunk; what it
    // shares with the hook stays in gate.bundle.cjs, so a Read loads exactly one file and a
    // Bash call two.
    codeSplitting: {
      // (scripts/gate-module.mjs serves only the shell parser: in the chunk with it.)
      groups: [{ name: 'shell', test: /[\\/](describe[\\/]shell|web-tree-sitter)[\\/]|gate-module\.mjs$/, includeDependenciesRecursively: false }],
    },
  },
});

// The shell parser's WebAssembly, from the same install as the web-tree-sitter code bundled
// above (scripts/gate-module.mjs resolves the bundle's requests to these copies).
for (const [specifier, file] of Object.entries(BUNDLED_FILES)) copyFileSync(require.resolve(specifier), `${outDir}/${file}`);

// Checked rather than trusted: an import() left in a bundle would fail only when it runs.
for (const f of readdirSync(outDir).filter((f) => /^gate[.-].*\.cjs$/.test(f))) {
  if (/\bimport\s*\(/.test(readFileSync(`${outDir}/${f}`, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) {
    throw new Error(`${outDir}/${f} still contains import(), which fails under a code cache (bin/gate-loader.js)`);
  }
}

// Each bundle's first line names its build (a hash of the rest), which names its code cache:
// V8 checks a cache against the source's length only (bin/gate-loader.js).
for (const f of readdirSync(outDir).filter((f) => /^gate[.-].*\.cjs$/.test(f))) {
  const code = readFileSync(`${outDir}/${f}`, 'utf8');
  const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
  writeFileSync(`${outDir}/${f}`, `// aex-gate-build ${id}\n${code}`);
}

// The code caches, made in a process of their own so that its V8 flags are a gate's.
const cache = spawnSync(process.execPath, [fileURLToPath(new URL('./gate-code-cache.mjs', import.meta.url))], { stdio: 'inherit' });
if (cache.status !== 0) throw new Error(`scripts/gate-code-cache.mjs failed (exit ${cache.status ?? cache.signal})`);
