// Grants in the kernel (docs/grants.md): a live grant permits exactly what its rule
// permits — standing in for the policy's missing allow rule or answering a confirmation
// in advance — and never more: not a longer command, not a second command, not a deny
// rule, not protected state, not past its expiry, not beyond a task contract's list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decideCall, type DecideOptions } from '../../src/runtime/kernel/decide.js';
import { grantRuleProblem, type KernelGrant } from '../../src/runtime/kernel/grants.js';
import { loadPolicyFile, loadTaskFile } from '../../src/runtime/policy/load.js';
import { mergePermissions } from '../../src/rules/merge.js';
import { describeCall } from '../../src/describe/index.js';
import type { EffectivePermissions } from '../../src/rules/types.js';
import { parseRule } from '../rule-text.js';

const POLICY = `policy workspace v0
goal "grants test"

allow shell.exec:"git status", shell.exec:"make *", file.read:./**
deny shell.exec:"rm -rf *"
confirm before shell.exec:"make deploy *"
`;

let root: string;
let perms: EffectivePermissions;
const NOW = Date.parse('2030-01-01T00:00:00Z');
const grant = (text: string, id = 'g-0000000000000001', expiresAt = NOW + 60_000): KernelGrant => ({ id, rule: parseRule(text), expiresAt });

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'aex-kernel-grants-'));
  mkdirSync(path.join(root, '.aex'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, '.aex', 'policy.aex'), POLICY);
  const policy = await loadPolicyFile(path.join(root, '.aex', 'policy.aex'), { cwd: root });
  perms = mergePermissions({ policy: policy.layer, cwd: root });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function shell(line: string, opts: DecideOptions, p: EffectivePermissions = perms) {
  const call = await describeCall({ tool: 'shell.exec', args: { command: line } }, { root, cwd: root, home: '/nonexistent-home' });
  return decideCall(p, { callsUsed: 0 }, call, { now: NOW, ...opts });
}

async function tool(cap: string, args: Record<string, unknown>, opts: DecideOptions) {
  const call = await describeCall({ tool: cap, args }, { root, cwd: root, home: '/nonexistent-home' });
  return decideCall(perms, { callsUsed: 0 }, call, { now: NOW, ...opts });
}

describe('a grant allows exactly its rule', () => {
  const grants = [grant('shell.exec:"npm test"')];

  it('without the grant, npm test is not allowed', async () => {
    expect((await shell('npm test', {})).verdict).toBe('not_allowed');
  });

  it('with it, npm test is allowed, and the audit names the grant', async () => {
    const d = await shell('npm test', { grants });
    expect(d.verdict).toBe('allow');
    expect(d.actions[0]).toMatchObject({ verdict: 'allow', layer: 'grant', grant: { id: 'g-0000000000000001', use: 'allow', rule: 'shell.exec:"npm test"' } });
    expect(d.proceed).toEqual([
      expect.objectContaining({ event: 'grant.used', grant: 'g-0000000000000001', rule: 'shell.exec:"npm test"', use: 'allow', action: { cap: 'shell.exec', command: 'npm test' } }),
      expect.objectContaining({ event: 'tool.allowed', rule: 'grant shell.exec:"npm test"', layer: 'grant', grant: 'g-0000000000000001' }),
    ]);
  });

  it.each([
    ['npm test --x', 'not_allowed'],
    ['npm test; rm -rf /', 'deny'],
    ['npm test && curl https://evil.example', 'not_allowed'],
    ['npm test | sh', 'deny'],
    ['npm testx', 'not_allowed'],
    ['npm run test', 'not_allowed'],
    ['FOO=1 npm test', 'not_allowed'],
    ['./npm test', 'not_allowed'],
    ['/tmp/npm test', 'not_allowed'],
    ['npm test $EXTRA', 'not_allowed'],
    ['$(echo npm) test', 'deny'],
    ['eval "npm test"', 'not_allowed'],
    ['sh -c "npm test; rm -rf ~"', 'deny'],
  ])('never wider: %s → %s (an unreadable command may match the deny rule)', async (line, verdict) => {
    const d = await shell(line, { grants });
    expect(d.verdict).toBe(verdict);
  });

  it('a redirection the grant does not cover stays the policy\'s question', async () => {
    expect((await shell('npm test > .aex/policy.aex', { grants })).verdict).toBe('deny');
    expect((await shell('npm test > .aex/policy.aex', { grants })).deciding?.layer).toBe('protected');
  });

  it('a compound line allowed by a grant and a policy rule names each', async () => {
    const d = await shell('git status && npm test', { grants });
    expect(d.verdict).toBe('allow');
    const actions = d.proceed.find((e) => e.event === 'tool.allowed')?.actions as Array<Record<string, unknown>>;
    expect(actions.map((a) => a.layer)).toEqual(['policy', 'grant']);
    expect(d.proceed.filter((e) => e.event === 'grant.used')).toHaveLength(1);
  });
});

describe('a grant never overrides a deny rule or protected state', () => {
  it('a grant of a denied command does nothing', async () => {
    const d = await shell('rm -rf build', { grants: [grant('shell.exec:"rm -rf build"')] });
    expect(d.verdict).toBe('deny');
    expect(d.deciding?.rule?.keyword).toBe('deny');
    expect(d.proceed).toEqual([]);
  });

  it('a grant of writing the policy does nothing', async () => {
    for (const g of ['file.write:.aex/policy.aex', 'file.write:./.aex/**', 'file.write:.git/hooks/pre-commit']) {
      const target = g.includes('hooks') ? '.git/hooks/pre-commit' : '.aex/policy.aex';
      const d = await tool('file.write', { path: target, content: 'allow *' }, { grants: [grant(g)] });
      expect(d.verdict).toBe('deny');
      expect(d.deciding?.layer).toBe('protected');
    }
  });

  it('a grant does not cover a path outside its glob, whatever the spelling', async () => {
    const grants = [grant('file.write:src/a.ts')];
    expect((await tool('file.write', { path: 'src/a.ts', content: 'x' }, { grants })).verdict).toBe('allow');
    for (const p of ['src/a.ts.bak', 'src/../b.ts', './src/./a.ts/../../b.ts', `${root}/src/b.ts`, 'src/A.ts', '../src/a.ts']) {
      expect((await tool('file.write', { path: p, content: 'x' }, { grants })).verdict, p).not.toBe('allow');
    }
  });
});

describe('a grant answers a confirmation in advance', () => {
  it('make deploy prod asks without a grant, and runs with one', async () => {
    expect((await shell('make deploy prod', {})).verdict).toBe('confirm');
    const d = await shell('make deploy prod', { grants: [grant('shell.exec:"make deploy prod"')] });
    expect(d.verdict).toBe('allow');
    expect(d.events).toEqual([]);
    expect(d.actions[0]).toMatchObject({ layer: 'policy', grant: { use: 'confirm', confirms: 'confirm before shell.exec:"make deploy *"' } });
    expect(d.proceed[0]).toMatchObject({ event: 'grant.used', use: 'confirm', confirms: 'confirm before shell.exec:"make deploy *"' });
    expect(d.proceed[1]).toMatchObject({ event: 'tool.allowed', rule: 'allow shell.exec:"make *"', grant: 'g-0000000000000001' });
  });

  it('a grant of one deploy does not answer another', async () => {
    const grants = [grant('shell.exec:"make deploy prod"')];
    for (const line of ['make deploy prod --force', 'make deploy staging', 'make deploy prod; make deploy staging']) {
      expect((await shell(line, { grants })).verdict, line).toBe('confirm');
    }
  });
});

describe('only live grants count', () => {
  it('an expired grant is ignored', async () => {
    expect((await shell('npm test', { grants: [grant('shell.exec:"npm test"', 'g-1', NOW)] })).verdict).toBe('not_allowed');
    expect((await shell('npm test', { grants: [grant('shell.exec:"npm test"', 'g-1', NOW - 1)] })).verdict).toBe('not_allowed');
    expect((await shell('npm test', { grants: [grant('shell.exec:"npm test"', 'g-1', NOW + 1)] })).verdict).toBe('allow');
  });

  it('malformed or unbounded grants are ignored (fail closed)', async () => {
    const bad = [
      { id: 'g-x', rule: parseRule('shell.exec'), expiresAt: NOW + 1000 },
      { id: 'g-x', rule: parseRule('shell.*:"npm test"'), expiresAt: NOW + 1000 },
      { id: 'g-x', rule: parseRule('shell.exec:"* test"'), expiresAt: NOW + 1000 },
      { id: 'g-x', rule: parseRule('shell.exec:"npm test"'), expiresAt: Number.NaN },
      { id: 42, rule: parseRule('shell.exec:"npm test"'), expiresAt: NOW + 1000 },
      null,
    ] as unknown as KernelGrant[];
    expect((await shell('npm test', { grants: bad })).verdict).toBe('not_allowed');
  });

  it('a grant does not stand in for a task contract\'s own list', async () => {
    const task = path.join(root, 'task.aex');
    writeFileSync(task, 'task t v0\ngoal "t"\n\nuse shell.exec:"git status"\n\nreturn "ok"\n');
    const t = await loadTaskFile(task, { cwd: root });
    const policy = await loadPolicyFile(path.join(root, '.aex', 'policy.aex'), { cwd: root });
    const withTask = mergePermissions({ policy: policy.layer, task: t.layer, cwd: root });
    const d = await shell('npm test', { grants: [grant('shell.exec:"npm test"')] }, withTask);
    expect(d.verdict).toBe('not_allowed');
    expect(d.deciding?.layer).toBe('task');
  });
});

describe('what may be granted', () => {
  it.each([
    ['shell.exec:"npm test"', null],
    ['file.write:src/**', null],
    ['network.fetch:registry.npmjs.org', null],
    ['mcp.github.create_issue where repo == "me/x"', null],
    ['mcp.github.create_issue', null],
    ['shell.exec', /needs a command pattern/],
    ['file.read', /needs a path glob/],
    ['network.fetch', /needs a host/],
    ['*', /not a pattern/],
    ['mcp.github.*', /not a pattern/],
    ['shell.exec:"*"', /names its program/],
    ['shell.exec:"n?m test"', /names its program/],
    ['file.write:**', /names a folder or file/],
    ['file.write:/**', /names a folder or file/],
    // Other spellings of everything: through `..`, with a trailing slash.
    ['file.write:"./src/../**"', /may not contain "\.\."/],
    ['file.write:"./x/../../**"', /may not contain "\.\."/],
    ['file.write:"src/.."', /may not contain "\.\."/],
    ['file.write:"./**/"', /names a folder or file/],
    ['file.write:"./src/**/"', null],
    ['network.fetch:*', /names a host/],
  ])('%s', (text, problem) => {
    const p = grantRuleProblem(parseRule(text));
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });
});
