import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decideToolCall } from '../../src/runtime/kernel/decide.js';
import {
  discoverPolicy,
  loadPolicyFile,
  loadPolicyLayerCached,
  loadTaskFile,
  loadTaskLayerCached,
  MAX_EXTENDS_DEPTH,
  PolicyError,
} from '../../src/runtime/policy/load.js';
import { formatRule } from '../../src/rules/match.js';
import { mergePermissions } from '../../src/rules/merge.js';
import { tmpDir } from '../tools/helpers.js';

const fixtures = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));
const fx = (p: string) => path.join(fixtures, p);
const rules = (rs: Array<{ tool: string; path?: string; alsoPaths?: string[] }>) => rs.map(formatRule);

describe('.aex policies', () => {
  it('loads allow/deny/confirm/budget', async () => {
    const { layer, warnings } = await loadPolicyFile(fx('workspace.policy.aex'));
    expect(layer.kind).toBe('policy');
    expect(layer.name).toBe('workspace');
    expect(rules(layer.allow)).toEqual(['file.read', 'file.write', 'tests.run', 'git.*']);
    expect(rules(layer.deny)).toEqual(['network.*', 'secrets.read']);
    expect(rules(layer.confirm)).toEqual(['file.write']);
    expect(layer.budget).toEqual({ calls: 100 });
    expect(layer.allow[0]!.origin).toMatch(/workspace\.policy\.aex:3:7$/);
    expect(warnings).toEqual([]);
  });

  it('a misspelled line is an error, not an unrestricted policy', async () => {
    const err = await loadPolicyFile(fx('misspelled.policy.aex')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    const pe = err as PolicyError;
    expect(pe.line).toBe(3);
    expect(pe.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(pe.message).toMatch(/misspelled\.policy\.aex:3:/);
  });

  it('a task file passed as a policy is an error (and vice versa)', async () => {
    await expect(loadPolicyFile(fx('task.aex'))).rejects.toThrow(/task contract, not a policy/);
    await expect(loadTaskFile(fx('workspace.policy.aex'))).rejects.toThrow(/is a policy, not a task/);
    const t = await loadTaskFile(fx('task.aex'));
    expect(t.layer.kind).toBe('task');
    expect(rules(t.layer.allow)).toEqual(['file.*', 'tests.run']);
    expect(t.layer.budget).toEqual({ calls: 20 });
  });

  it('missing files are clear errors', async () => {
    await expect(loadPolicyFile(fx('nope.aex'))).rejects.toThrow(/not found/);
  });
});

describe('JSON policies', () => {
  it('extends resolves against the referring file and the child only narrows', async () => {
    const { layer, dependencies } = await loadPolicyFile(fx('team/child.policy.json'), { cwd: tmpDir() });
    expect(rules(layer.allow)).toEqual(['file.read', 'file.write:src/**', 'tests.run']);
    expect(rules(layer.deny)).toEqual(['network.*', 'secrets.read']);
    expect(rules(layer.confirm)).toEqual(['file.write', 'tests.run']);
    expect(layer.budget).toEqual({ calls: 50, tokens: 1000 });
    expect(dependencies).toHaveLength(2);
  });

  it('a base without allow leaves the child allow; a child without allow keeps the base', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'base.json'), JSON.stringify({ deny: ['x.*'] }));
    writeFileSync(path.join(dir, 'child.json'), JSON.stringify({ extends: './base.json', allow: ['a'] }));
    writeFileSync(path.join(dir, 'child2.json'), JSON.stringify({ extends: { allow: ['b', 'c'], budget: { calls: 3 } }, budget: { calls: 9 } }));
    expect(rules((await loadPolicyFile(path.join(dir, 'child.json'))).layer.allow)).toEqual(['a']);
    const c2 = (await loadPolicyFile(path.join(dir, 'child2.json'))).layer;
    expect(rules(c2.allow)).toEqual(['b', 'c']);
    expect(c2.budget).toEqual({ calls: 3 });
  });

  it('detects cycles instead of hanging', async () => {
    await expect(loadPolicyFile(fx('cycle-a.policy.json'))).rejects.toThrow(/cycle/);
  });

  it(`caps the extends depth at ${MAX_EXTENDS_DEPTH}`, async () => {
    const dir = tmpDir();
    const make = (n: number) => {
      for (let i = 0; i <= n; i++) {
        const doc = i < n ? { extends: `./p${i + 1}.json`, allow: ['*'] } : { allow: ['*'] };
        writeFileSync(path.join(dir, `p${i}.json`), JSON.stringify(doc));
      }
    };
    make(MAX_EXTENDS_DEPTH);
    await expect(loadPolicyFile(path.join(dir, 'p0.json'))).resolves.toBeTruthy();
    make(MAX_EXTENDS_DEPTH + 1);
    await expect(loadPolicyFile(path.join(dir, 'p0.json'))).rejects.toThrow(/deeper than 16/);
  });

  it('validation: unknown fields, malformed rules, fractional budgets, bad JSON', async () => {
    await expect(loadPolicyFile(fx('bad-field.policy.json'))).rejects.toThrow(/failed validation/);
    await expect(loadPolicyFile(fx('bad-rule.policy.json'))).rejects.toThrow(/failed validation/);
    await expect(loadPolicyFile(fx('bad-budget.policy.json'))).rejects.toThrow(/failed validation/);
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "allow": [\n');
    const err = (await loadPolicyFile(path.join(dir, 'broken.json')).catch((e: unknown) => e)) as PolicyError;
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.message).toMatch(/Invalid JSON/);
    writeFileSync(path.join(dir, 'nul.json'), JSON.stringify({ allow: ['file.read:/a\u0000b/**'] }));
    await expect(loadPolicyFile(path.join(dir, 'nul.json'))).rejects.toThrow(/NUL/);
    writeFileSync(path.join(dir, 'missing-base.json'), JSON.stringify({ extends: './nowhere.json' }));
    await expect(loadPolicyFile(path.join(dir, 'missing-base.json'))).rejects.toThrow(/nowhere\.json.*extended from/);
  });

  it('a zero-allow policy denies everything', async () => {
    const { layer } = await loadPolicyFile(fx('empty-allow.policy.json'));
    const perms = mergePermissions({ policy: layer, cwd: fixtures });
    for (const tool of ['file.read', 'tests.run', 'x']) {
      expect(decideToolCall(perms, { callsUsed: 0 }, { tool, paths: [] }).decision.verdict).toBe('deny');
    }
  });
});

describe('discoverPolicy', () => {
  it('.aex/policy.aex first, then aex.policy.aex, cwd only', () => {
    const dir = tmpDir();
    expect(discoverPolicy(dir)).toBeUndefined();
    writeFileSync(path.join(dir, 'aex.policy.aex'), 'policy p v0\n');
    expect(discoverPolicy(dir)).toBe(path.join(dir, 'aex.policy.aex'));
    mkdirSync(path.join(dir, '.aex'));
    writeFileSync(path.join(dir, '.aex/policy.aex'), 'policy p v0\n');
    expect(discoverPolicy(dir)).toBe(path.join(dir, '.aex/policy.aex'));
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    expect(discoverPolicy(sub)).toBeUndefined();
  });
});

describe('loadPolicyLayerCached', () => {
  it('caches by content hash and notices changes in extends files', async () => {
    const dir = tmpDir();
    const cache = path.join(dir, 'cache');
    writeFileSync(path.join(dir, 'base.json'), JSON.stringify({ allow: ['a', 'b'] }));
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ extends: './base.json', allow: ['a', 'b', 'c'] }));
    const first = await loadPolicyLayerCached(path.join(dir, 'p.json'), cache);
    expect(rules(first.allow)).toEqual(['a', 'b']);
    expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toHaveLength(0);
    expect(await loadPolicyLayerCached(path.join(dir, 'p.json'), cache)).toEqual(first);
    writeFileSync(path.join(dir, 'base.json'), JSON.stringify({ allow: ['a'] }));
    expect(rules((await loadPolicyLayerCached(path.join(dir, 'p.json'), cache)).allow)).toEqual(['a']);
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ alow: [] }));
    await expect(loadPolicyLayerCached(path.join(dir, 'p.json'), cache)).rejects.toThrow(PolicyError);
  });

  it('caches .aex policies and task contracts, and refuses the wrong kind', async () => {
    const cache = path.join(tmpDir(), 'c');
    const p = await loadPolicyLayerCached(fx('workspace.policy.aex'), cache);
    expect(p.kind).toBe('policy');
    expect(await loadPolicyLayerCached(fx('workspace.policy.aex'), cache)).toEqual(p);
    const t = await loadTaskLayerCached(fx('task.aex'), cache);
    expect(t.kind).toBe('task');
    await expect(loadPolicyLayerCached(fx('task.aex'), cache)).rejects.toThrow(/not a policy/);
  });
});

describe('schema errors carry a position', () => {
  it('points at the offending rule', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'p.json'), '{\n  "allow": [\n    "file.read",\n    "bad rule"\n  ]\n}\n');
    const err = (await loadPolicyFile(path.join(dir, 'p.json')).catch((e: unknown) => e)) as PolicyError;
    expect(err).toBeInstanceOf(PolicyError);
    expect([err.line, err.column]).toEqual([4, 5]);
    expect(err.diagnostics[0]).toMatchObject({ severity: 'error', line: 4, column: 5 });
    expect(err.message).toMatch(/p\.json:4:5: policy file failed validation/);
  });
});
