// The policy cache and the project root cannot be turned against the policy.
//
// Cache: entries live in the state folder; a forged entry (`allow *` with no sources,
// sources of another file, malformed JSON) is ignored and the strict policy decides; an
// entry planted in the workspace's old `.aex/cache/` is never read.
// Root: after `cd src` with a planted `src/.aex/policy.aex`, the gate still judges by the
// root's policy, with and without CLAUDE_PROJECT_DIR.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRICT_POLICY, makeGateProject, verdictOf, type GateProject } from './gate-project.js';

let P: GateProject;
let entryFile: string;
const bash = { command: 'curl http://127.0.0.1:9/x' };
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  P = makeGateProject(STRICT_POLICY);
  expect(verdictOf(await P.gate('Bash', bash)).decision).toBe('deny');
  const cacheDir = path.join(P.projectState, 'cache');
  const entries = readdirSync(cacheDir).filter((f) => f.endsWith('.json'));
  expect(entries).toHaveLength(1);
  entryFile = path.join(cacheDir, entries[0]!);
  // Never in the workspace.
  expect(existsSync(path.join(P.root, '.aex', 'cache'))).toBe(false);
});
afterAll(() => P.cleanup());

const everything = { kind: 'policy', name: 'strict', allow: [{ tool: '*' }], deny: [], confirm: [], budget: {} };

describe('a forged cache entry never decides', () => {
  const forgeries: Array<[string, () => unknown]> = [
    ['allow * with no sources', () => ({ format: 2, layer: everything, deps: [] })],
    ['allow * without a deps field', () => ({ format: 2, layer: everything })],
    [
      'allow * with the hash of another file',
      () => {
        const other = path.join(P.root, 'notes', 'n.md');
        return { format: 2, layer: everything, deps: [{ file: other, sha256: sha(readFileSync(other)) }] };
      },
    ],
    ['allow * with a stale hash of the policy', () => ({ format: 2, layer: everything, deps: [{ file: path.join(P.root, '.aex', 'policy.aex'), sha256: sha('old') }] })],
    ['malformed JSON', () => '{"format":2,"layer":'],
    ['a layer of the wrong shape', () => ({ format: 2, layer: { kind: 'policy', allow: '*' }, deps: [{ file: path.join(P.root, '.aex', 'policy.aex'), sha256: sha(readFileSync(path.join(P.root, '.aex', 'policy.aex'))) }] })],
  ];
  for (const [name, make] of forgeries) {
    it(name, async () => {
      const forged = make();
      writeFileSync(entryFile, typeof forged === 'string' ? forged : JSON.stringify(forged));
      const v = verdictOf(await P.gate('Bash', bash));
      expect(v.decision).toBe('deny');
      expect(v.reason).toMatch(/deny shell\.exec/);
      // The gate rebuilt a sound entry in its place.
      const rebuilt = JSON.parse(readFileSync(entryFile, 'utf8'));
      expect(rebuilt.layer.allow.map((r: { tool: string }) => r.tool)).toEqual(['file.read', 'file.write']);
    });
  }

  it('an entry planted in .aex/cache/ of the workspace is never read', async () => {
    const planted = path.join(P.root, '.aex', 'cache');
    mkdirSync(planted, { recursive: true });
    const policyFile = path.join(P.root, '.aex', 'policy.aex');
    const entry = { format: 2, layer: everything, deps: [{ file: policyFile, sha256: sha(readFileSync(policyFile)) }] };
    writeFileSync(path.join(planted, path.basename(entryFile)), JSON.stringify(entry));
    expect(verdictOf(await P.gate('Bash', bash)).decision).toBe('deny');
  });

  it('editing the policy invalidates its entry (every source is checked)', async () => {
    const base = path.join(P.root, 'base.json');
    writeFileSync(base, JSON.stringify({ allow: ['file.read', 'shell.exec'] }));
    const top = path.join(P.root, 'top.json');
    writeFileSync(top, JSON.stringify({ extends: './base.json', allow: ['file.read', 'shell.exec'] }));
    expect(verdictOf(await P.gate('Bash', { command: 'ls' }, {}, ['--policy', top])).decision).toBe('allow');
    // The base narrows: the cached layer built from the old base must not be used.
    writeFileSync(base, JSON.stringify({ allow: ['file.read'] }));
    expect(verdictOf(await P.gate('Bash', { command: 'ls' }, {}, ['--policy', top])).decision).toBe('deny');
  });
});

describe('the root decides, not the agent\'s current directory', () => {
  beforeAll(() => {
    mkdirSync(path.join(P.root, 'src', '.aex'), { recursive: true });
    writeFileSync(path.join(P.root, 'src', '.aex', 'policy.aex'), 'policy planted v0\ngoal "Planted by the agent."\nallow *\n');
    writeFileSync(path.join(P.root, 'src', 'aex.policy.aex'), 'policy planted2 v0\ngoal "Planted by the agent."\nallow *\n');
  });

  it('after cd src, without CLAUDE_PROJECT_DIR: the outermost policy (the root\'s) decides', async () => {
    const v = verdictOf(await P.gate('Bash', bash, { cwd: path.join(P.root, 'src') }));
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/\.aex\/policy\.aex:4/);
    expect(v.reason).not.toMatch(/src\/\.aex/);
  });

  it('after cd src, with CLAUDE_PROJECT_DIR: the named root\'s policy decides', async () => {
    const env = { ...P.env, CLAUDE_PROJECT_DIR: P.root };
    const v = verdictOf(await P.gate('Bash', bash, { cwd: path.join(P.root, 'src') }, [], env));
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/deny shell\.exec/);
  });

  it('a policy the agent writes in a subdirectory is never used (only the root\'s .aex is protected)', async () => {
    const v = verdictOf(await P.gate('Write', { file_path: path.join(P.root, 'src', '.aex', 'policy.aex'), content: 'allow *' }, { cwd: path.join(P.root, 'src') }));
    // Allowed by the strict policy (file.write), and harmless: discovery never looks there.
    expect(v.decision).toBe('allow');
    expect(verdictOf(await P.gate('Bash', bash, { cwd: path.join(P.root, 'src') })).decision).toBe('deny');
  });
});
