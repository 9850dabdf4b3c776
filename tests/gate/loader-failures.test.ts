import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './helpers.js';

// bin/aex.js and bin/gate-loader.js run before any of the gate's own error handling. Each
// way they can fail must still block the call: exit 2, with a reason on stderr, never 0
// (allow) or 1 (Claude Code lets the call through). A copy of bin/ next to a fake
// dist/adapters/claude-code/ stands in for a broken build.
let D: string;
let bundleDir: string;
let fakeBin: string;
beforeAll(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-loader-')));
  mkdirSync(path.join(D, 'bin'));
  for (const f of ['aex.js', 'gate-loader.js', 'package.json']) copyFileSync(path.join(path.dirname(BIN), f), path.join(D, 'bin', f));
  fakeBin = path.join(D, 'bin', 'aex.js');
  bundleDir = path.join(D, 'dist', 'adapters', 'claude-code');
  mkdirSync(bundleDir, { recursive: true });
});
afterAll(() => rmSync(D, { recursive: true, force: true }));

const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/etc/hostname' } });
function runWithBundle(code: string, extra: Record<string, string> = {}) {
  writeFileSync(path.join(bundleDir, 'gate.bundle.cjs'), code);
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(bundleDir, name), text);
  return spawnSync(process.execPath, [fakeBin, 'gate'], { input, cwd: D, encoding: 'utf8', timeout: 20_000 });
}

describe('aex gate fails closed before its own error handling runs', () => {
  it('a bundle that throws while loading blocks with exit 2', () => {
    const r = runWithBundle('throw new Error("bundle is broken");');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('aex gate: bundle is broken');
  });

  it('a bundle with a syntax error blocks with exit 2', () => {
    const r = runWithBundle('exports.gateMain = (');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aex gate: /);
  });

  it('a bundle without gateMain blocks with exit 2', () => {
    const r = runWithBundle('exports.somethingElse = 1;');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a gateMain that rejects, or throws later from a timer, blocks with exit 2', () => {
    const rejects = runWithBundle('exports.gateMain = async () => { throw new Error("decision failed"); };');
    expect(rejects.status).toBe(2);
    expect(rejects.stderr).toContain('aex gate: decision failed');
    const later = runWithBundle('exports.gateMain = async () => { setTimeout(() => { throw new Error("late failure"); }, 1); };');
    expect(later.status).toBe(2);
    expect(later.stderr).toContain('aex gate: late failure');
    const floating = runWithBundle('exports.gateMain = async () => { Promise.reject(new Error("lost promise")); };');
    expect(floating.status).toBe(2);
    expect(floating.stderr).toContain('aex gate: lost promise');
  });

  it('a lazy chunk that is missing or broken blocks with exit 2', () => {
    const missing = runWithBundle('exports.gateMain = async () => { require("./gate-shell.cjs"); };');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/aex gate: .*gate-shell\.cjs/);
    const broken = runWithBundle('exports.gateMain = async () => { require("./gate-shell.cjs"); };', { 'gate-shell.cjs': 'throw new Error("chunk is broken");' });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('aex gate: chunk is broken');
  });

  it('a code cache that is garbage, or made for another build, is ignored, not run', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const code = `// aex-gate-build ${id}\nexports.gateMain = async () => { require('node:fs').writeSync(1, 'compiled from source\\n'); };`;
    writeFileSync(path.join(bundleDir, `gate.bundle.cjs.${id}.v8cache`), Buffer.from('not a V8 code cache at all'));
    const r = runWithBundle(code);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('compiled from source\n');
  });

  it('the build names each code cache after its bundle’s build id, which hashes the bundle', () => {
    const dist = path.join(path.dirname(BIN), '..', 'dist', 'adapters', 'claude-code');
    for (const name of ['gate.bundle.cjs', 'gate-shell.cjs']) {
      const code = readFileSync(path.join(dist, name), 'utf8');
      const id = /^\/\/ aex-gate-build ([0-9a-f]{32})\n/.exec(code)?.[1];
      expect(id, name).toBeDefined();
      expect(createHash('sha256').update(code.slice(code.indexOf('\n') + 1)).digest('hex').slice(0, 32)).toBe(id);
      expect(readdirSync(dist).filter((f) => f.startsWith(`${name}.`) && f.endsWith('.v8cache'))).toEqual([`${name}.${id}.v8cache`]);
    }
  });
});
