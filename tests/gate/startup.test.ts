import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, gateEnv } from './helpers.js';

// The gate runs once per agent tool call, so what a call loads is its start-up time
// (bench/gate.mjs). bin/aex.js is CommonJS and the gate is pre-bundled into CommonJS
// (scripts/bundle-gate.mjs): on a warm cache a Read loads one file of ours, a Bash call two,
// and neither starts the ES module loader, loads node:crypto, or touches a dependency that
// the decision does not need. A preloaded script records, at exit, every JavaScript file
// read and Node's own modules (process.moduleLoadList). The bundles' code caches must be
// ones V8 accepts, or every call compiles them from source again.
let D: string;
let RECORD: string;
beforeAll(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-startup-')));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(
    path.join(D, '.aex', 'policy.aex'),
    'policy workspace v0\ngoal "Boundary."\nallow file.read, shell.exec:"git status", shell.exec:"ls *"\ndeny network.*\n',
  );
  RECORD = path.join(D, 'record.cjs');
  // bin/gate-loader.js compiles the bundles itself (with their code caches), so they are not
  // in require.cache: every file read through fs.readFileSync is recorded instead.
  writeFileSync(
    RECORD,
    `const fs = require('node:fs');
const read = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (typeof file === 'string') read.push(file);
  return readFileSync.call(this, file, ...rest);
};
process.on('exit', () => {
  fs.writeFileSync(${JSON.stringify(path.join(D, 'loaded.json'))}, JSON.stringify({
    cjs: [...Object.keys(require.cache), ...read.filter((f) => f.endsWith('.js') || f.endsWith('.cjs'))],
    wasm: read.filter((f) => f.endsWith('.wasm')),
    builtin: process.moduleLoadList,
  }));
});
`,
  );
});
afterAll(() => rmSync(D, { recursive: true, force: true }));

interface Loaded {
  cjs: string[];
  wasm: string[];
  builtin: string[];
  /** Files of ours (under dist/), relative to dist/. */
  ours: string[];
}

function gateCall(toolName: string, toolInput: Record<string, unknown>): { loaded: Loaded; decision: string } {
  const input = JSON.stringify({ session_id: 's', cwd: D, hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: toolInput });
  const run = () => spawnSync(process.execPath, ['-r', RECORD, BIN, 'gate'], { input, cwd: D, env: gateEnv(), encoding: 'utf8', timeout: 20_000 });
  const first = run(); // may be a cache miss: compiles the policy
  expect(first.status, first.stderr).toBe(0);
  rmSync(path.join(D, 'loaded.json'), { force: true });
  const second = run();
  expect(second.status, second.stderr).toBe(0);
  const raw = JSON.parse(readFileSync(path.join(D, 'loaded.json'), 'utf8')) as Omit<Loaded, 'ours'>;
  const ours = [...new Set(raw.cjs.filter((u) => u.includes('/dist/')).map((u) => u.slice(u.indexOf('/dist/') + 6)))];
  return { loaded: { ...raw, ours }, decision: JSON.parse(second.stdout).hookSpecificOutput.permissionDecision };
}

describe('aex gate start-up (npm run build first)', () => {
  it('a Read loads one bundled file, no ES module, no node:crypto and no node:v8 when the policy is cached', () => {
    const { loaded, decision } = gateCall('Read', { file_path: `${D}/a.txt` });
    expect(decision).toBe('allow');
    expect(loaded.ours.filter(notRuntime)).toEqual(['adapters/claude-code/gate.bundle.cjs']);
    // Only bin/, the recorder and the bundle: no dependency (picomatch, web-tree-sitter, ajv …).
    expect(loaded.cjs.filter((f) => f !== RECORD && !f.startsWith(path.dirname(BIN)) && !f.includes('/dist/'))).toEqual([]);
    expect(loaded.builtin).not.toContain('NativeModule internal/modules/esm/module_job');
    expect(loaded.builtin).not.toContain('NativeModule crypto');
    expect(loaded.builtin).not.toContain('NativeModule v8');
  });

  it('a plain Bash line adds only the shell chunk, and never compiles the parser', () => {
    // Words and && only: its tree is built without tree-sitter (src/describe/shell/simple-line.ts).
    const { loaded, decision } = gateCall('Bash', { command: 'git status && ls -la' });
    expect(decision).toBe('allow');
    expect(loaded.ours.filter(notRuntime).sort()).toEqual(['adapters/claude-code/gate-shell.cjs', 'adapters/claude-code/gate.bundle.cjs']);
    expect(loaded.wasm).toEqual([]);
  });

  it('a Bash line that needs the parser adds only the shell chunk, which brings web-tree-sitter inside it', () => {
    const { loaded, decision } = gateCall('Bash', { command: 'git status && ls -la "src"' });
    expect(decision).toBe('allow');
    expect(loaded.ours.filter(notRuntime).sort()).toEqual(['adapters/claude-code/gate-shell.cjs', 'adapters/claude-code/gate.bundle.cjs']);
    expect(loaded.cjs.filter((f) => f !== RECORD && !f.startsWith(path.dirname(BIN)) && !f.includes('/dist/'))).toEqual([]);
    expect(loaded.builtin).not.toContain('NativeModule internal/modules/esm/module_job');
    expect(loaded.builtin).not.toContain('NativeModule crypto');
    // node:module (createRequire) brings the ES module loader's modules; the bundle's stand-in does not.
    expect(loaded.builtin).not.toContain('NativeModule module');
    // The parser's WebAssembly is the build's copy next to the bundle: no package resolution.
    expect(loaded.builtin).not.toContain('NativeModule internal/modules/esm/resolve');
    expect(loaded.wasm.map((f) => path.relative(path.join(path.dirname(BIN), '..', 'dist'), f)).sort()).toEqual([
      'adapters/claude-code/gate-tree-sitter-bash.wasm',
      'adapters/claude-code/gate-tree-sitter.wasm',
    ]);
  });

  it('a refused call loads no more than an allowed one', () => {
    const { loaded, decision } = gateCall('WebFetch', { url: 'https://example.com/' });
    expect(decision).toBe('deny');
    expect(loaded.ours.filter(notRuntime)).toEqual(['adapters/claude-code/gate.bundle.cjs']);
    expect(loaded.builtin).not.toContain('NativeModule internal/modules/esm/module_job');
  });
});

/**
 * Rolldown's own helpers, which it puts in a small chunk of their own once the bundle has
 * several lazily loaded chunks (the other hosts' protocols): loaded with the entry, cached like it.
 */
function notRuntime(file: string): boolean {
  return !file.endsWith('gate-rolldown-runtime.cjs');
}

describe('the gate bundles’ code caches (npm run build first)', () => {
  it('are accepted by V8 for both bundles, in the order and under the flags of a real Bash call', () => {
    const script = `
const { createGateLoader, ENTRY } = require(${JSON.stringify(path.join(path.dirname(BIN), 'gate-loader.js'))});
const loader = createGateLoader();
const { runGate } = loader.load(ENTRY);
const call = (tool_name, tool_input) => runGate({ allowNoPolicy: false, deferAllow: false, help: false },
  JSON.stringify({ session_id: 'cc', cwd: ${JSON.stringify(D)}, hook_event_name: 'PreToolUse', tool_name, tool_input }), ${JSON.stringify(D)});
call('Bash', { command: 'git status' }).then((out) => {
  process.stdout.write(JSON.stringify({ out, compiled: loader.compiled.map((c) => [c.name, c.cacheUsed]) }));
});
`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: D, env: gateEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const { out, compiled } = JSON.parse(r.stdout);
    expect(out.stdout).toContain('"permissionDecision":"allow"');
    expect(compiled.filter(([name]: [string]) => notRuntime(name))).toEqual([
      ['gate.bundle.cjs', true],
      ['gate-shell.cjs', true],
    ]);
    for (const [name, used] of compiled as [string, boolean][]) expect(used, name).toBe(true);
  });
});
