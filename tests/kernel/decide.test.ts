import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideModelCall, decideToolCall } from '../../src/runtime/kernel/decide.js';
import type { EffectivePermissions, PermissionLayer } from '../../src/rules/types.js';
import { parseRule } from '../../src/rules/match.js';
import { mergePermissions } from '../../src/rules/merge.js';
import { extractCallPaths } from '../../src/runtime/policy/paths.js';

function layer(kind: 'task' | 'policy', spec: { allow?: string[]; deny?: string[]; confirm?: string[]; budget?: Record<string, number> }): PermissionLayer {
  return {
    kind,
    name: kind,
    allow: (spec.allow ?? []).map(parseRule),
    deny: (spec.deny ?? []).map(parseRule),
    confirm: (spec.confirm ?? []).map(parseRule),
    budget: spec.budget ?? {},
  };
}

const cwd = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-decide-')));

function perms(task?: Parameters<typeof layer>[1], policy?: Parameters<typeof layer>[1]): EffectivePermissions {
  return mergePermissions({
    ...(task ? { task: layer('task', task) } : {}),
    ...(policy ? { policy: layer('policy', policy) } : {}),
    cwd,
  });
}

const call = (tool: string, paths: string[] = [], line?: number) => ({ tool, paths, ...(line !== undefined ? { line } : {}) });

describe('decideToolCall', () => {
  it('allows only what both layers permit', () => {
    const p = perms({ allow: ['file.*'] }, { allow: ['file.read', 'tests.run'] });
    expect(decideToolCall(p, { callsUsed: 0 }, call('file.read')).decision).toEqual({ verdict: 'allow', needsConfirmation: false });
    const w = decideToolCall(p, { callsUsed: 0 }, call('file.write', [], 7));
    expect(w.decision).toMatchObject({ verdict: 'deny', reason: 'not_allowed', message: 'Tool "file.write" is not allowed by contract or policy.' });
    expect(w.events).toEqual([{ event: 'tool.denied', tool: 'file.write', reason: 'not_allowed', line: 7 }]);
    expect(decideToolCall(p, { callsUsed: 0 }, call('tests.run')).decision.verdict).toBe('deny');
  });

  it('no layer present: nothing restricts allow; deny still applies', () => {
    const p = mergePermissions({ cwd });
    expect(decideToolCall(p, { callsUsed: 0 }, call('x.y')).decision.verdict).toBe('allow');
  });

  it('a policy with zero allow rules permits nothing', () => {
    const p = perms(undefined, { allow: [], deny: ['network.*'] });
    expect(decideToolCall(p, { callsUsed: 0 }, call('file.read')).decision).toMatchObject({ verdict: 'deny', reason: 'not_allowed' });
    const t = perms({ allow: [] });
    expect(decideToolCall(t, { callsUsed: 0 }, call('file.read')).decision.verdict).toBe('deny');
  });

  it('deny wins over allow and names the rule; events omit line when absent', () => {
    const p = perms({ allow: ['*'] }, { allow: ['*'], deny: ['network.*'] });
    const r = decideToolCall(p, { callsUsed: 0 }, call('network.fetch'));
    expect(r.decision).toEqual({
      verdict: 'deny',
      reason: 'denied',
      rule: 'network.*',
      message: 'Tool "network.fetch" is denied by policy rule network.*.',
    });
    expect(r.events).toEqual([{ event: 'tool.denied', tool: 'network.fetch', reason: 'denied', rule: 'network.*' }]);
    expect(decideToolCall(p, { callsUsed: 0 }, call('networkx.fetch')).decision.verdict).toBe('allow');
  });

  it('case tricks never turn into an allow', () => {
    // Network.fetch escapes deny network.* (exact case) but no allow rule names it either.
    const p = perms(undefined, { allow: ['network.search', 'file.*'], deny: ['network.*'] });
    for (const name of ['Network.fetch', 'NETWORK.fetch', 'network.Fetch', 'network.fetch', 'File.read', 'file', 'network']) {
      const d = decideToolCall(p, { callsUsed: 0 }, call(name)).decision;
      expect(d.verdict, name).toBe(name === 'file' ? 'allow' : 'deny');
    }
    // Under an allow-everything policy the case variant is a different tool; the registry decides.
    const all = perms(undefined, { allow: ['*'], deny: ['network.*'] });
    expect(decideToolCall(all, { callsUsed: 0 }, call('network.fetch')).decision.verdict).toBe('deny');
  });

  it('path-qualified allow and deny with real paths and symlinks', () => {
    mkdirSync(path.join(cwd, 'ws/secrets'), { recursive: true });
    writeFileSync(path.join(cwd, 'ws/a.txt'), 'a');
    writeFileSync(path.join(cwd, 'ws/secrets/s.txt'), 's');
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-outside-')));
    writeFileSync(path.join(outside, 'o.txt'), 'o');
    symlinkSync(path.join(outside, 'o.txt'), path.join(cwd, 'ws/link.txt'));
    symlinkSync(path.join(cwd, 'ws/secrets'), path.join(cwd, 'ws/public'));
    const p = perms(undefined, { allow: ['file.read:ws/**'], deny: ['file.read:ws/secrets/**'] });
    const decide = (args: Record<string, unknown>) =>
      decideToolCall(p, { callsUsed: 0 }, { tool: 'file.read', paths: extractCallPaths('file.read', args, cwd) }).decision.verdict;
    expect(decide({ paths: ['ws/a.txt'] })).toBe('allow');
    expect(decide({ paths: ['ws/a.txt', 'ws/secrets/s.txt'] })).toBe('deny');
    expect(decide({ paths: ['ws/public/s.txt'] })).toBe('deny'); // symlink into the denied tree
    expect(decide({ paths: ['ws/link.txt'] })).toBe('deny'); // symlink out of the allowed tree
    expect(decide({ paths: ['ws/../../etc/passwd'] })).toBe('deny');
    expect(decide({})).toBe('deny'); // qualified allow needs a path
  });

  it('budget: exhausted at used >= calls, checked after permissions', () => {
    const p = perms({ allow: ['echo'], budget: { calls: 3 } }, { allow: ['*'], budget: { calls: 2 } });
    expect(p.budget.calls).toBe(2);
    expect(decideToolCall(p, { callsUsed: 1 }, call('echo')).decision.verdict).toBe('allow');
    const r = decideToolCall(p, { callsUsed: 2 }, call('echo', [], 4));
    expect(r.decision).toEqual({ verdict: 'budget_exhausted', callsUsed: 2, budget: 2, message: 'Call budget exhausted while executing "echo".' });
    expect(r.events).toEqual([{ event: 'budget.exhausted', tool: 'echo', calls_used: 2, budget: 2, line: 4 }]);
    expect(decideToolCall(p, { callsUsed: 2 }, call('nope')).decision.verdict).toBe('deny');
    const zero = perms({ allow: ['echo'], budget: { calls: 0 } });
    expect(decideToolCall(zero, { callsUsed: 0 }, call('echo')).decision.verdict).toBe('budget_exhausted');
  });

  it('confirmation uses wildcard matching and path parts (union of layers)', () => {
    const p = perms({ allow: ['file.*', 'tests.run'], confirm: ['file.*:secrets/**'] }, { allow: ['*'], confirm: ['tests.*'] });
    expect(decideToolCall(p, { callsUsed: 0 }, call('tests.run')).decision).toMatchObject({ verdict: 'allow', needsConfirmation: true });
    expect(decideToolCall(p, { callsUsed: 0 }, call('file.write', [path.join(cwd, 'secrets/x')])).decision).toMatchObject({ needsConfirmation: true });
    expect(decideToolCall(p, { callsUsed: 0 }, call('file.write', [path.join(cwd, 'src/x')])).decision).toEqual({ verdict: 'allow', needsConfirmation: false });
  });

  it('never mutates state and never throws (fail closed on garbage)', () => {
    const p = perms({ allow: ['*'], budget: { calls: 5 } });
    const state = { callsUsed: 1 };
    decideToolCall(p, state, call('a'));
    expect(state).toEqual({ callsUsed: 1 });
    const broken = { ...p, deny: [{ tool: 'a', path: 'x\0' }] } as EffectivePermissions;
    expect(decideToolCall(broken, state, call('a', [path.join(cwd, 'q')])).decision.verdict).toBe('deny');
    const r = decideToolCall(null as unknown as EffectivePermissions, state, call('a', [], 3));
    expect(r.decision.verdict).toBe('deny');
    expect(r.events[0]).toMatchObject({ event: 'tool.denied', tool: 'a', line: 3 });
    expect(decideToolCall(p, state, { tool: 'a' } as never).decision.verdict).toBe('deny');
  });
});

describe('decideModelCall', () => {
  it('needs no allow rule, but a deny of model.make blocks it', () => {
    expect(decideModelCall(perms({ allow: ['file.read'] }), { callsUsed: 0 }, 3).decision.verdict).toBe('allow');
    const r = decideModelCall(perms({ allow: ['*'] }, { allow: ['*'], deny: ['model.*'] }), { callsUsed: 0 }, 3);
    expect(r.decision).toMatchObject({ verdict: 'deny', reason: 'denied', rule: 'model.*' });
    expect(r.events).toEqual([{ event: 'tool.denied', tool: 'model.make', reason: 'denied', rule: 'model.*', line: 3 }]);
  });
  it('consumes the same budget', () => {
    const r = decideModelCall(perms({ allow: ['*'], budget: { calls: 1 } }), { callsUsed: 1 });
    expect(r.decision.verdict).toBe('budget_exhausted');
    expect(r.events).toEqual([{ event: 'budget.exhausted', tool: 'model.make', calls_used: 1, budget: 1 }]);
  });
});

describe('decideToolCall with non-canonical paths from a careless caller', () => {
  it('relative and symlinked paths are canonicalised before matching', () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-decide-raw-')));
    mkdirSync(path.join(dir, 'secrets'));
    symlinkSync(path.join(dir, 'secrets'), path.join(dir, 'alias'));
    const p = mergePermissions({
      policy: layer('policy', { allow: ['file.read'], deny: ['file.read:secrets/**'] }),
      cwd: dir,
    });
    expect(decideToolCall(p, { callsUsed: 0 }, { tool: 'file.read', paths: ['secrets/a'] }).decision.verdict).toBe('deny');
    expect(decideToolCall(p, { callsUsed: 0 }, { tool: 'file.read', paths: [path.join(dir, 'alias/a')] }).decision.verdict).toBe('deny');
    expect(decideToolCall(p, { callsUsed: 0 }, { tool: 'file.read', paths: ['ok/a'] }).decision.verdict).toBe('allow');
    expect(decideToolCall(p, { callsUsed: 0 }, { tool: 'file.read', paths: ['x\0'] }).decision.verdict).toBe('deny');
  });
});
