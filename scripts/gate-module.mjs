// What the gate's bundle gets when its modules import `node:module` (scripts/bundle-gate.mjs):
// createRequire, the only use the gate path makes of it (the shell parser resolves its two
// WebAssembly files). Loading node:module costs a Bash call a few milliseconds, since it
// brings the ES module loader's own modules with it. In a bundle, createRequire(import.meta.url)
// means "require from the bundle's folder", which is exactly the CommonJS require that
// bin/gate-loader.js gives each bundle (with resolve() from that folder), so that is returned.

/* global require */
export function createRequire() {
  return require;
}
