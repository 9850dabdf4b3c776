#!/usr/bin/env node
// Entry point. `aex gate` runs once per agent tool call, so it is routed before the
// full CLI (cac, every command module) is loaded: start-up time is the product there.
if (process.argv[2] === 'gate') {
  const { gateMain } = await import('../dist/adapters/claude-code/main.js');
  await gateMain(process.argv.slice(3));
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
