// Bundles the `aex gate` entry (dist/adapters/claude-code/main.js and everything it
// imports) into CommonJS files next to it, which bin/aex.js loads with require():
//
//   gate.bundle.cjs   the hook itself: describers, kernel, policy loader (cache hit)
//   gate-shell.cjs    the shell describer and web-tree-sitter, required only when a
//                     shell call arrives (src/describe/index.ts imports it lazily); it
//                     takes the modules it shares with the hook from gate.bundle.cjs
//   gate-help.cjs     the --help text
//
// CommonJS, not ES modules, because a gate process serves one call and exits, and the ES
// module loader's start-up (its own modules, asynchronous file reads, linking) costs more
// CPU than the whole decision; require() reads each file synchronously. No file of the
// Read path is an ES module, so that loader never starts on a cached Read or Bash call.
// The bundles sit at the same depth as dist/runtime/policy/, so the compiler and schema
// validator, which the policy loader imports only on a cache miss, resolve to the same files.
import { createRequire } from 'node:module';
import { rmSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const outDir = 'dist/adapters/claude-code';
const require = createRequire(import.meta.url);

// Bundles of an earlier layout must not be picked up by bin/aex.js.
for (const f of readdirSync(outDir)) if (/^gate[.-].*\.(c?js)$/.test(f)) rmSync(`${outDir}/${f}`);

// node:crypto, as the gate's own modules import it, becomes scripts/gate-crypto.mjs: loading
// the real module costs a Read call more CPU than its decision (see that file).
const gateCrypto = {
  name: 'aex-gate-crypto',
  resolveId(source, importer) {
    if ((source === 'node:crypto' || source === 'crypto') && importer !== undefined && /[\\/]dist[\\/]/.test(importer)) {
      return fileURLToPath(new URL('./gate-crypto.mjs', import.meta.url));
    }
    return null;
  },
};

// The shell chunk is loaded only by the gate, which parses one command line and exits:
// WebAssembly compiled by Liftoff alone is ready at once, while V8's default background
// tier-up of the bash grammar would keep the finished process from exiting for about
// 2 s (bench/gate.mjs). Set here, not in bin/aex.js, because loading node:v8 costs a Read
// call, which compiles no WebAssembly, about as much as its decision.
const liftoffOnly = `require('node:v8').setFlagsFromString('--liftoff-only');`;

await build({
  input: { gate: `${outDir}/main.js` },
  platform: 'node',
  plugins: [gateCrypto],
  logLevel: 'warn',
  // gate.bundle.cjs also exports what gate-shell.cjs takes from it.
  preserveEntrySignatures: 'allow-extension',
  // web-tree-sitter's CommonJS build: its ES build starts the ES module loader on every
  // Bash call (it imports `module` dynamically and reads import.meta.url).
  resolve: { alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') } },
  output: {
    dir: outDir,
    format: 'cjs',
    entryFileNames: 'gate.bundle.cjs',
    chunkFileNames: 'gate-[name].cjs',
    banner: (chunk) => (chunk.name === 'shell' ? liftoffOnly : ''),
    // The shell describer's own modules and web-tree-sitter go to the lazy chunk; what it
    // shares with the hook stays in gate.bundle.cjs, so a Read loads exactly one file and a
    // Bash call two.
    codeSplitting: {
      groups: [{ name: 'shell', test: /[\\/](describe[\\/]shell|web-tree-sitter)[\\/]/, includeDependenciesRecursively: false }],
    },
  },
});
