// What the gate's bundle gets when its modules import `node:module` (scripts/bundle-gate.mjs):
// createRequire, the only use the gate path makes of it (the shell parser resolves its two
// WebAssembly files). Loading node:module costs a Bash call a few milliseconds, since it
// brings the ES module loader's own modules with it. In a bundle, createRequire(import.meta.url)
// means "require from the bundle's folder", which is the CommonJS require that
// bin/gate-loader.js gives each bundle; that is returned, except that the WebAssembly files
// resolve to the copies the build puts next to the bundle. Those copies come from the same
// install as the web-tree-sitter code bundled in, so the runtime always matches its glue,
// and a call spends no time on package resolution (about 3 ms for the two).

/** Specifier → file in the bundle's folder, copied there by scripts/bundle-gate.mjs. */
export const BUNDLED_FILES = {
  'web-tree-sitter/tree-sitter.wasm': 'gate-tree-sitter.wasm',
  'tree-sitter-bash/tree-sitter-bash.wasm': 'gate-tree-sitter-bash.wasm',
};

/* global require, __dirname */
export function createRequire() {
  const requireFromBundle = (id) => require(id);
  requireFromBundle.resolve = (id) => (Object.hasOwn(BUNDLED_FILES, id) ? `${__dirname}/${BUNDLED_FILES[id]}` : require.resolve(id));
  return requireFromBundle;
}
