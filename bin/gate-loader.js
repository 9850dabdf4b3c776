'use strict';
// Loads the gate's CommonJS bundles (dist/adapters/claude-code/gate*.cjs, built by
// scripts/bundle-gate.mjs) the way require() would, except that each one is compiled with
// the V8 code cache that the build wrote next to it (scripts/gate-code-cache.mjs). A gate
// process serves one call and exits, so without a cache it spends a good part of its time
// parsing and compiling JavaScript it ran a moment ago in the previous call.
//
// The cache is only an optimisation: V8 rejects one made by another V8 version or with
// other flags, and a bundle without a cache, or with one made for another build of it, is
// compiled from source. V8 checks a cache against the source's length only, so a cache is
// found by the build id on the bundle's first line, which changes with every byte of it.
// The caches sit in dist/ with the bundles, so no one who could not already change the
// gate's code can change what it runs.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE_DIR = path.join(__dirname, '..', 'dist', 'adapters', 'claude-code');
const ENTRY = 'gate.bundle.cjs';
const BUILD_ID = /^\/\/ aex-gate-build ([0-9a-f]{16,64})\n/;
// Node's own CommonJS wrapper, so the bundles see what require() would give them.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n})';
// Chunks that compile WebAssembly (the shell parser), and how. The gate parses at most one
// command line and exits: WebAssembly compiled by Liftoff alone is ready at once, while
// V8's default background tier-up of the bash grammar keeps the finished process from
// exiting for about 2 s. Each function is validated when it is first compiled rather than
// all 1.5 MB up front (still before it runs; the parser uses a small part of the grammar).
// Set only when such a chunk loads, because node:v8 costs a Read call, which compiles no
// WebAssembly, a visible share of its time; and set before the chunk is compiled, because
// V8 accepts a code cache only under the flags it was made with.
const COMPILES_WASM = new Set(['gate-shell.cjs']);
const WASM_FLAGS = '--liftoff-only --wasm-lazy-validation';

/** Where a bundle's code cache lives: next to it, named by the bundle's build id. */
function codeCacheFile(dir, name, source) {
  const id = BUILD_ID.exec(source);
  return id ? path.join(dir, `${name}.${id[1]}.v8cache`) : undefined;
}

/**
 * A loader for the bundles in `dir`. `load(name)` returns a bundle's exports (loading it
 * once); `compiled` lists each compiled bundle, for scripts/gate-code-cache.mjs.
 */
function createGateLoader(dir = BUNDLE_DIR) {
  const modules = new Map();
  const compiled = [];
  let liftoffOnly = false;

  function load(name) {
    const known = modules.get(name);
    if (known) return known.exports;
    const file = path.join(dir, name);
    const source = fs.readFileSync(file, 'utf8');
    if (COMPILES_WASM.has(name) && !liftoffOnly) {
      require('node:v8').setFlagsFromString(WASM_FLAGS);
      liftoffOnly = true;
    }
    const cacheFile = codeCacheFile(dir, name, source);
    let cachedData;
    if (cacheFile !== undefined) {
      try {
        cachedData = fs.readFileSync(cacheFile);
      } catch {
        // No cache for this build: compiled from source.
      }
    }
    // No importModuleDynamically: Node 20 loses it for a script compiled from a code cache.
    // The bundles contain no import() (scripts/bundle-gate.mjs turns each into require()).
    const script = new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: file, cachedData });
    compiled.push({ name, script, cacheFile, cacheUsed: cachedData !== undefined && !script.cachedDataRejected });
    const module = { exports: {}, id: file, filename: file, loaded: false };
    modules.set(name, module);
    const requireFromBundle = (id) => {
      // The bundles require one another as './gate-….cjs'.
      if (id.startsWith('./gate')) return load(id.slice(2));
      // The compiler and schema validator, which the policy loader needs on a compiled-policy
      // cache miss: ES modules, which require() loads synchronously on Node >= 20.19.
      if (id.startsWith('./') || id.startsWith('../')) return require(path.resolve(dir, id));
      // Anything else is a Node built-in: rolldown bundled every dependency.
      return require(id);
    };
    // Resolves as createRequire(the bundle's URL) would (scripts/gate-module.mjs).
    requireFromBundle.resolve = (id) => require.resolve(id, { paths: [dir] });
    script.runInThisContext().call(module.exports, module.exports, requireFromBundle, module, file, dir);
    module.loaded = true;
    return module.exports;
  }

  return { load, compiled };
}

/** The gate's exports (gateMain, runGate), or null when the build made no bundle. */
function loadGateBundle(dir = BUNDLE_DIR) {
  if (!fs.existsSync(path.join(dir, ENTRY))) return null;
  return createGateLoader(dir).load(ENTRY);
}

module.exports = { BUNDLE_DIR, ENTRY, BUILD_ID, createGateLoader, loadGateBundle };
