#!/usr/bin/env node
'use strict';
// Entry point. `aex gate` runs once per agent tool call, so it is routed before the full
// CLI (cac, every command module) is loaded: start-up time is the product there.
//
// This file is CommonJS (bin/package.json) so that a gate call never starts the ES module
// loader: the gate is pre-bundled into CommonJS files (scripts/bundle-gate.mjs) that
// bin/gate-loader.js compiles from their V8 code caches, which costs a fraction of what
// loading the same code as ES modules does. The rest of the CLI is ES modules, loaded
// with import().

const CHECK_BUNDLE = require('node:path').join(__dirname, '..', 'dist', 'cli', 'bundle', 'check.bundle.cjs');
// `aex compile`, `parse` and `fmt` from one bundle of their own (src/cli/compile-entry.ts).
const COMPILE_BUNDLE = require('node:path').join(__dirname, '..', 'dist', 'cli', 'bundle', 'compile.bundle.cjs');
const COMPILE_COMMANDS = new Set(['compile', 'parse', 'fmt']);

if (process.argv[2] === 'gate') {
  gate();
} else if (process.argv[2] === 'check' && require('node:fs').existsSync(CHECK_BUNDLE)) {
  // `aex check` from one pre-compiled bundle (scripts/bundle-cli.mjs): a cold check of a
  // policy costs little more than starting node. Without the bundle, the full CLI does it.
  require('./gate-loader.js').createGateLoader(require('node:path').dirname(CHECK_BUNDLE)).load('check.bundle.cjs').checkMain(process.argv);
} else if (COMPILE_COMMANDS.has(process.argv[2]) && require('node:fs').existsSync(COMPILE_BUNDLE)) {
  // The bundle answers false for what only the full CLI can (help, compile --graph).
  require('./gate-loader.js')
    .createGateLoader(require('node:path').dirname(COMPILE_BUNDLE))
    .load('compile.bundle.cjs')
    .compileMain(process.argv)
    .then((handled) => handled || fullCli());
} else {
  fullCli();
}

function fullCli() {
  import('../dist/cli/main.js').then(({ main }) => main(process.argv));
}

function gate() {
  // Whatever goes wrong, the hook blocks the call: exit 2, never 0 or 1 (1 lets it through).
  const block = (err) => {
    try {
      require('node:fs').writeSync(2, `aex gate: ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      process.exit(2);
    }
  };
  process.on('uncaughtException', block);
  process.on('unhandledRejection', block);
  try {
    const bundle = require('./gate-loader.js').loadGateBundle();
    // Without the bundle (a build that stopped after tsc), the unbundled modules decide alike.
    const loaded = bundle !== null ? Promise.resolve(bundle) : import('../dist/gate/bundle-entry.js');
    loaded.then(({ gateMain }) => gateMain(process.argv.slice(3))).catch(block);
  } catch (err) {
    block(err);
  }
}
