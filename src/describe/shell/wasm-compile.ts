// Compiles a WebAssembly module in full, on V8's background threads, for a module whose code
// is nearly all needed at once (the bash grammar: src/describe/shell/parser.ts). V8 compiles
// WebAssembly lazily by default: each function when it is first called, on the thread that
// calls it. Node has no per-module switch, so the engine-wide one is turned off while this
// module's compilation starts and back on once it is done; nothing else in AEX compiles
// WebAssembly meanwhile (the parser's runtime is compiled before, lazily).

import { setFlagsFromString } from 'node:v8';

/** The compiled module; its compilation runs in the background while the caller goes on. */
export function compileWhole(bytes: BufferSource): Promise<WebAssembly.Module> {
  setFlagsFromString('--no-wasm-lazy-compilation');
  let compiled: Promise<WebAssembly.Module>;
  try {
    compiled = WebAssembly.compile(bytes);
  } catch (err) {
    setFlagsFromString('--wasm-lazy-compilation');
    throw err;
  }
  const lazyAgain = () => setFlagsFromString('--wasm-lazy-compilation');
  compiled.then(lazyAgain, lazyAgain);
  return compiled;
}
