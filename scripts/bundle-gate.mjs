// Bundles the `aex gate` entry (dist/adapters/claude-code/main.js and its static
// imports) into one module next to it, so each hook call loads one file instead of
// a dozen. The bundle sits at the same depth as dist/runtime/policy/, so the lazy
// imports of the compiler and schema validator resolve to the same files.
import { build } from 'rolldown';

await build({
  input: 'dist/adapters/claude-code/main.js',
  platform: 'node',
  logLevel: 'warn',
  output: { file: 'dist/adapters/claude-code/gate.bundle.js', format: 'esm', codeSplitting: false },
});
