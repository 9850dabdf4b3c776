import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import {
  discoverPolicy,
  loadPolicyFile,
  loadPolicyLayerCached,
  loadTaskFile,
  loadTaskLayerCached,
  MAX_EXTENDS_DEPTH,
  PolicyError,
} from '../../src/runtime/policy/load.js';
import { formatRule } from '../../src/rules/format.js';
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
      expect(decideCall(perms, { callsUsed: 0 }, { tool, args: {}, actions: [{ cap: tool }] }).verdict).toBe('not_allowed');
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

describe('AEX 2 rules in layers', () => {
  const V2 = [
    'policy v2 v0',
    'goal "g"',
    'allow shell.exec:"git status", network.fetch:"*.github.com", network.fetch:"https://x.dev/**", file.read:./src/**',
    'allow mcp.slack.post where channel in ["C1"]',
    'deny shell.exec:"rm -rf *"',
    'confirm before shell.exec:"git push *"',
    'shell mcp.runner.exec',
    '',
  ].join('\n');

  function project(policyAt: string, text = V2): { dir: string; file: string } {
    const dir = tmpDir();
    const file = path.join(dir, policyAt);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return { dir, file };
  }

  it('an .aex policy layer carries qualifier fields, where, keyword, source, shells, root and files', async () => {
    const { dir, file } = project('.aex/policy.aex');
    const { layer } = await loadPolicyFile(file);
    expect(layer.allow.map(({ origin: _o, source: _s, ...r }) => r)).toEqual([
      { tool: 'shell.exec', command: 'git status', keyword: 'allow' },
      { tool: 'network.fetch', host: '*.github.com', keyword: 'allow' },
      { tool: 'network.fetch', url: 'https://x.dev/**', keyword: 'allow' },
      { tool: 'file.read', path: './src/**', keyword: 'allow' },
      { tool: 'mcp.slack.post', where: [{ arg: ['channel'], op: 'in', value: ['C1'] }], keyword: 'allow' },
    ]);
    expect(layer.allow[0]!.source).toEqual({ file: realpathSync(file), line: 3, column: 7 });
    expect(layer.deny[0]).toMatchObject({ tool: 'shell.exec', command: 'rm -rf *', keyword: 'deny', source: { line: 5, column: 6 } });
    expect(layer.confirm[0]).toMatchObject({ command: 'git push *', keyword: 'confirm', source: { line: 6 } });
    expect(layer.shells).toEqual(['mcp.runner.exec']);
    expect(layer.root).toBe(realpathSync(dir));
    expect(layer.files).toEqual([realpathSync(file)]);
  });

  it('the root of a policy outside .aex/ is its folder, of one deeper in .aex/ the folder holding .aex', async () => {
    const a = project('conf/aex.policy.aex');
    expect((await loadPolicyFile(a.file)).layer.root).toBe(realpathSync(path.join(a.dir, 'conf')));
    const b = project('.aex/policies/p.aex');
    expect((await loadPolicyFile(b.file)).layer.root).toBe(realpathSync(b.dir));
  });

  it('a task layer keeps `use` as its keyword and no root of its own', async () => {
    const { file } = project('t.aex', 'task t v0\ngoal "g"\nuse shell.exec:"git status"\ndo shell.exec(command="git status") -> s\nreturn s\n');
    const t = await loadTaskFile(file);
    expect(t.layer.allow[0]).toMatchObject({ tool: 'shell.exec', command: 'git status', keyword: 'use' });
    expect(t.layer.root).toBeUndefined();
  });

  it('JSON rule strings use the same syntax, with positions, keywords and warnings', async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, '.aex'));
    const file = path.join(dir, '.aex', 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({ allow: ['shell.exec:"git status"', 'mcp.s.t where a in ["x"]'], deny: ['file.read:secrets/**'], require_confirmation: ['network.fetch:github.com'] }, null, 2),
    );
    const loaded = await loadPolicyFile(file);
    const { layer } = loaded;
    expect(layer.allow[0]).toMatchObject({ tool: 'shell.exec', command: 'git status', keyword: 'allow', source: { file, line: 3 } });
    expect(layer.allow[1]!.where).toEqual([{ arg: ['a'], op: 'in', value: ['x'] }]);
    expect(layer.deny[0]).toMatchObject({ path: 'secrets/**', keyword: 'deny' });
    expect(layer.confirm[0]).toMatchObject({ host: 'github.com', keyword: 'confirm' });
    expect(layer.root).toBe(dir);
    expect(layer.files).toEqual([realpathSync(file)]);
    expect(loaded.warnings.map((w) => w.code)).toEqual(['AEX016']);
  });

  it('a JSON rule an .aex line would read differently is refused with its position', async () => {
    const dir = tmpDir();
    const cases: Array<[string, RegExp]> = [
      ['file.read:a#b', /AEX014/],
      ['shell.exec:rm -rf *', /AEX014/],
      ['file.read:"cat *"', /AEX018/],
      ['mcp.s.t where a = 1', /AEX014/],
      ['file.read, shell.exec', /failed validation|AEX014/],
    ];
    for (const [rule, re] of cases) {
      const file = path.join(dir, 'p.json');
      writeFileSync(file, `{\n  "deny": [\n    "file.write",\n    ${JSON.stringify(rule)}\n  ]\n}\n`);
      const err = (await loadPolicyFile(file).catch((e: unknown) => e)) as PolicyError;
      expect(err, rule).toBeInstanceOf(PolicyError);
      expect(err.message, rule).toMatch(re);
      expect([err.line, err.column], rule).toEqual([4, 5]);
    }
  });

  it('a JSON policy extending an .aex base keeps the base shell declarations', async () => {
    const { dir } = project('base.aex', 'policy base v0\ngoal "g"\nallow mcp.runner.exec\nshell mcp.runner.exec\n');
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ extends: './base.aex', allow: ['mcp.runner.exec'] }));
    const { layer } = await loadPolicyFile(path.join(dir, 'p.json'));
    expect(layer.shells).toEqual(['mcp.runner.exec']);
    expect(layer.files).toHaveLength(2);
  });

  it('the cache returns the same AEX 2 layer as a fresh load', async () => {
    const { dir, file } = project('.aex/policy.aex');
    const cache = path.join(dir, 'cache');
    const fresh = (await loadPolicyFile(file)).layer;
    const first = await loadPolicyLayerCached(file, cache);
    const hit = await loadPolicyLayerCached(file, cache);
    expect(hit).toEqual(first);
    expect(hit.allow.map((r) => r.command ?? r.host ?? r.url ?? r.path ?? r.where)).toEqual(fresh.allow.map((r) => r.command ?? r.host ?? r.url ?? r.path ?? r.where));
    expect(hit.shells).toEqual(['mcp.runner.exec']);
    expect(hit.root).toBe(fresh.root);
    expect(hit.deny[0]!.source).toEqual(fresh.deny[0]!.source);
  });
});

describe('shell declarations reach the effective permissions', () => {
  it('mergePermissions unites the layers\' shells', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'p.aex'), 'policy p v0\ngoal "g"\nallow mcp.a.run, mcp.b.run\nshell mcp.a.run\n');
    writeFileSync(path.join(dir, 't.aex'), 'task t v0\ngoal "g"\nuse mcp.b.run\nshell mcp.b.run, mcp.a.run\ndo mcp.b.run(command="ls") -> r\nreturn r\n');
    const policy = (await loadPolicyFile(path.join(dir, 'p.aex'))).layer;
    const task = (await loadTaskFile(path.join(dir, 't.aex'))).layer;
    expect(mergePermissions({ policy, task, cwd: dir }).shells).toEqual(['mcp.b.run', 'mcp.a.run']);
    expect(mergePermissions({ policy: { ...policy, shells: undefined }, cwd: dir }).shells).toBeUndefined();
  });
});

describe('--root overrides the policy project root', () => {
  it('for .aex and JSON policies, cached or not', async () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir, '.aex'));
    writeFileSync(path.join(dir, '.aex', 'policy.aex'), 'policy p v0\ngoal "g"\nallow file.read:./src/**\n');
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ allow: ['file.read:./src/**'] }));
    const other = path.join(dir, 'other');
    expect((await loadPolicyFile(path.join(dir, '.aex', 'policy.aex'))).layer.root).toBe(dir);
    expect((await loadPolicyFile(path.join(dir, '.aex', 'policy.aex'), { root: other })).layer.root).toBe(other);
    expect((await loadPolicyFile(path.join(dir, 'p.json'), { root: other })).layer.root).toBe(other);
    const cache = path.join(dir, 'cache');
    expect((await loadPolicyLayerCached(path.join(dir, 'p.json'), cache)).root).toBe(dir);
    expect((await loadPolicyLayerCached(path.join(dir, 'p.json'), cache, { root: other })).root).toBe(other);
  });
});
