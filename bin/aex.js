#!/usr/bin/env node
// Entry point. `aex gate` runs once per agent tool call, so it is routed before the
// full CLI (cac, every command module) is loaded: start-up time is the product there.
if (process.argv[2] === 'gate') {
  // A gate process makes one decision and exits. Without this, V8 keeps optimising the
  // bash grammar's WebAssembly in the background after the decision, and the process
  // cannot exit until that is done (about 2 s of a Bash call's wall time, bench/gate.mjs).
  (await import('node:v8')).setFlagsFromString('--liftoff-only');
  // One pre-bundled module (scripts/bundle-gate.mjs) instead of a dozen: the ES module
  // loader's per-file cost is a visible share of a hook that runs on every tool call.
  const { gateMain } = await import('../dist/adapters/claude-code/gate.bundle.js').catch((e) => {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return import('../dist/adapters/claude-code/main.js');
  });
  await gateMain(process.argv.slice(3));
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
