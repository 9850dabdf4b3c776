// The AEX 1 kernel cases, asked of decideCall (docs/design.md#the-kernel): what both layers permit,
// deny before allow, zero allow rules, case tricks, real paths through symlinks, the
// budget, confirmations, fail-closed on garbage, and make steps.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideCall, decideModelCall } from '../../src/runtime/kernel/decide.js';
import type { EffectivePermissions, PermissionLayer } from '../../src/rules/types.js';
import type { Action, DescribedCall } from '../../src/describe/types.js';
import { parseRule } from '../rule-text.js';
import { mergePermissions } from '../../src/rules/merge.js';
import { pathAttr } from '../../src/describe/paths.js';

function layer(kind: 'task' | 'policy', spec: { allow?: string[]; deny?: string[]; confirm?: string[]; budget?: Record<string, number> }): PermissionLayer {
  const keyword = kind === 'task' ? 'use' : 'allow';
  return {
    kind,
    name: kind,
    allow: (spec.allow ?? []).map((r) => ({ ...parseRule(r), keyword })),
    deny: (spec.deny ?? []).map((r) => ({ ...parseRule(r), keyword: 'deny' as const })),
    confirm: (spec.confirm ?? []).map((r) => ({ ...parseRule(r), keyword: 'confirm' as const })),
    budget: spec.budget ?? {},
  };
}

const cwd = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-decide-')));
const ctx = { root: cwd, cwd, home: os.homedir() };

function perms(task?: Parameters<typeof layer>[1], policy?: Parameters<typeof layer>[1], root = cwd): EffectivePermissions {
  return mergePermissions({
    ...(task ? { task: layer('task', task) } : {}),
    ...(policy ? { policy: layer('policy', policy) } : {}),
    cwd: root,
  });
}

/** An ordinary call: one action with the tool's capability and its paths. */
function call(tool: string, paths: string[] = [], base = cwd): DescribedCall {
  const action: Action = { cap: tool, args: {} };
  if (paths.length > 0) action.paths = paths.map((p) => pathAttr(p, base, { ...ctx, root: base, cwd: base }));
  return { tool, args: {}, actions: [action] };
}

const fresh = { callsUsed: 0 };

describe('decideCall on ordinary calls', () => {
  it('allows only what both layers permit', () => {
    const p = perms({ allow: ['file.*'] }, { allow: ['file.read', 'tests.run'] });
    expect(decideCall(p, fresh, call('file.read')).verdict).toBe('allow');
    const w = decideCall(p, fresh, call('file.write'), { eventFields: { line: 7 } });
    expect(w.verdict).toBe('not_allowed');
    expect(w.message).toBe('no rule allows file.write under policy policy');
    expect(w.events).toEqual([{ event: 'tool.denied', tool: 'file.write', reason: 'not_allowed', layer: 'policy', action: { cap: 'file.write' }, line: 7 }].map(dropUndefined));
    expect(decideCall(p, fresh, call('tests.run')).verdict).toBe('not_allowed');
  });

  it('a policy with zero allow rules permits nothing', () => {
    const p = perms(undefined, { allow: [], deny: ['network.*'] });
    expect(decideCall(p, fresh, call('file.read')).verdict).toBe('not_allowed');
    expect(decideCall(perms({ allow: [] }), fresh, call('file.read')).verdict).toBe('not_allowed');
  });

  it('deny is checked before allow and names the rule as written', () => {
    const p = perms({ allow: ['*'] }, { allow: ['*'], deny: ['network.*'] });
    const r = decideCall(p, fresh, call('network.fetch'));
    expect(r.verdict).toBe('deny');
    expect(r.message).toBe("denied by 'deny network.*': network.fetch");
    expect(r.events).toEqual([{ event: 'tool.denied', tool: 'network.fetch', reason: 'denied', rule: 'deny network.*', layer: 'policy', action: { cap: 'network.fetch' } }]);
    expect(decideCall(p, fresh, call('networkx.fetch')).verdict).toBe('allow');
    // Unlisted AND denied: reported as denied by its deny rule.
    const unlisted = perms(undefined, { allow: ['file.read'], deny: ['network.*'] });
    expect(decideCall(unlisted, fresh, call('network.fetch')).verdict).toBe('deny');
  });

  it('case tricks never turn into an allow', () => {
    const p = perms(undefined, { allow: ['network.search', 'file.*'], deny: ['network.*'] });
    for (const name of ['Network.fetch', 'NETWORK.fetch', 'network.Fetch', 'network.fetch', 'File.read', 'file', 'network']) {
      const v = decideCall(p, fresh, call(name)).verdict;
      expect(v === 'allow', name).toBe(name === 'file');
    }
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
    const verdict = (paths: string[]) => decideCall(p, fresh, call('file.read', paths)).verdict;
    expect(verdict(['ws/a.txt'])).toBe('allow');
    expect(verdict(['ws/a.txt', 'ws/secrets/s.txt'])).toBe('deny');
    expect(verdict(['ws/public/s.txt'])).toBe('deny'); // symlink into the denied tree
    expect(verdict(['ws/link.txt'])).toBe('not_allowed'); // symlink out of the allowed tree
    expect(verdict(['ws/../../etc/passwd'])).toBe('not_allowed');
    expect(verdict([])).toBe('not_allowed'); // a qualified allow needs a path
  });

  it('budget: exhausted at used >= calls, checked after permissions', () => {
    const p = perms({ allow: ['echo'], budget: { calls: 3 } }, { allow: ['*'], budget: { calls: 2 } });
    expect(p.budget.calls).toBe(2);
    expect(decideCall(p, { callsUsed: 1 }, call('echo')).verdict).toBe('allow');
    const r = decideCall(p, { callsUsed: 2 }, call('echo'), { eventFields: { line: 4 } });
    expect(r.verdict).toBe('budget_exhausted');
    expect(r.events).toEqual([{ event: 'budget.exhausted', tool: 'echo', calls_used: 2, budget: 2, line: 4 }]);
    expect(decideCall(p, { callsUsed: 2 }, call('nope')).verdict).toBe('not_allowed');
    expect(decideCall(perms({ allow: ['echo'], budget: { calls: 0 } }), fresh, call('echo')).verdict).toBe('budget_exhausted');
    // A free call (the proxy's meta-tools) is not held to the budget.
    expect(decideCall(p, { callsUsed: 2 }, call('echo'), { free: true }).verdict).toBe('allow');
  });

  it('confirmation uses wildcard matching and path parts (union of layers)', () => {
    const p = perms({ allow: ['file.*', 'tests.run'], confirm: ['file.*:secrets/**'] }, { allow: ['*'], confirm: ['tests.*'] });
    const t = decideCall(p, fresh, call('tests.run'));
    expect(t.verdict).toBe('confirm');
    expect(t.message).toBe("confirmation required by 'confirm before tests.*': tests.run");
    expect(t.events[0]).toMatchObject({ event: 'confirm.required', tool: 'tests.run', rule: 'confirm before tests.*' });
    expect(t.proceed[0]).toMatchObject({ event: 'tool.allowed', tool: 'tests.run' });
    expect(decideCall(p, fresh, call('file.write', ['secrets/x'])).verdict).toBe('confirm');
    expect(decideCall(p, fresh, call('file.write', ['src/x'])).verdict).toBe('allow');
  });

  it('never mutates state and never throws (fail closed on garbage)', () => {
    const p = perms({ allow: ['*'], budget: { calls: 5 } });
    const state = { callsUsed: 1 };
    decideCall(p, state, call('a'));
    expect(state).toEqual({ callsUsed: 1 });
    const r = decideCall(null as unknown as EffectivePermissions, state, call('a'), { eventFields: { line: 3 } });
    expect(r.verdict).toBe('deny');
    expect(r.events[0]).toMatchObject({ event: 'tool.denied', tool: 'a', line: 3 });
    expect(decideCall(p, state, { tool: 'a' } as never).verdict).toBe('deny');
    expect(decideCall(p, state, { tool: 'a', args: {}, actions: [] }).verdict).toBe('deny');
  });
});

describe('decideModelCall', () => {
  it('needs no allow rule, but a deny of model.make blocks it', () => {
    expect(decideModelCall(perms({ allow: ['file.read'] }), fresh, 3).verdict).toBe('allow');
    const r = decideModelCall(perms({ allow: ['*'] }, { allow: ['*'], deny: ['model.*'] }), fresh, 3);
    expect(r.verdict).toBe('deny');
    expect(r.events).toEqual([{ event: 'tool.denied', tool: 'model.make', reason: 'denied', rule: 'deny model.*', layer: 'policy', action: { cap: 'model.make' }, line: 3 }]);
  });
  it('consumes the same budget', () => {
    const r = decideModelCall(perms({ allow: ['*'], budget: { calls: 1 } }), { callsUsed: 1 });
    expect(r.verdict).toBe('budget_exhausted');
    expect(r.events).toEqual([{ event: 'budget.exhausted', tool: 'model.make', calls_used: 1, budget: 1 }]);
  });
});

describe('relative and symlinked paths', () => {
  it('are judged in both forms: a symlink into a denied tree is denied', () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-decide-raw-')));
    mkdirSync(path.join(dir, 'secrets'));
    symlinkSync(path.join(dir, 'secrets'), path.join(dir, 'alias'));
    const p = perms(undefined, { allow: ['file.read'], deny: ['file.read:secrets/**'] }, dir);
    expect(decideCall(p, fresh, call('file.read', ['secrets/a'], dir)).verdict).toBe('deny');
    expect(decideCall(p, fresh, call('file.read', [path.join(dir, 'alias/a')], dir)).verdict).toBe('deny');
    expect(decideCall(p, fresh, call('file.read', ['ok/a'], dir)).verdict).toBe('allow');
  });
});

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
