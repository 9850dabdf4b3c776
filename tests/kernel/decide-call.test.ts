// The AEX 2 kernel on hand-built actions (docs/design.md#the-kernel, docs/design.md#unresolved-parts): per-action judgement,
// the call's verdict, provenance on every event, refusal texts, protected state.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../src/rules/types.js';
import type { Action, ActionPath, DescribedCall } from '../../src/describe/types.js';

const ROOT = '/proj';
const POLICY_FILE = path.join(ROOT, '.aex', 'policy.aex');

let line = 0;
function rule(keyword: RuleSpec['keyword'], spec: Omit<RuleSpec, 'keyword' | 'source'>): RuleSpec {
  return { ...spec, keyword, source: { file: POLICY_FILE, line: ++line } };
}

function policy(parts: Partial<Pick<PermissionLayer, 'allow' | 'deny' | 'confirm' | 'budget'>>): PermissionLayer {
  return { kind: 'policy', name: 'workspace', file: POLICY_FILE, root: ROOT, allow: [], deny: [], confirm: [], budget: {}, ...parts };
}

function perms(p: PermissionLayer, task?: PermissionLayer): EffectivePermissions {
  const out: EffectivePermissions = { policy: p, deny: [...p.deny, ...(task?.deny ?? [])], confirm: [...p.confirm, ...(task?.confirm ?? [])], budget: { ...p.budget }, cwd: ROOT };
  if (task) out.task = task;
  return out;
}

const at = (...forms: string[]): ActionPath => ({ given: forms[0]!, forms });
const unresolvedPath = (given: string): ActionPath => ({ given, forms: [], unresolved: { what: 'path', why: 'dynamic' } });

function sh(...argv: Action['argv'] & unknown[]): Action {
  const words = argv as NonNullable<Action['argv']>;
  const program = typeof words[0] === 'string' ? words[0] : undefined;
  const a: Action = { cap: 'shell.exec', argv: words, command: words.map((w) => (typeof w === 'string' ? w : w.text)).join(' ') };
  if (program !== undefined) a.program = program;
  return a;
}

function call(tool: string, ...actions: Action[]): DescribedCall {
  return { tool, args: {}, actions };
}

const state = { callsUsed: 0 };

describe('shell commands are judged per simple command', () => {
  const p = perms(policy({ allow: [rule('allow', { tool: 'shell.exec', command: 'git status' }), rule('allow', { tool: 'shell.exec', command: 'git diff *' })] }));

  it('allows a command its pattern covers and names the rule', () => {
    const d = decideCall(p, state, call('shell.exec', sh('git', 'status')));
    expect(d.verdict).toBe('allow');
    expect(d.proceed[0]).toMatchObject({ event: 'tool.allowed', rule: 'allow shell.exec:"git status"', source: '.aex/policy.aex:1', layer: 'policy', action: { cap: 'shell.exec', command: 'git status' } });
  });

  it('refuses a compound line whose second command no rule allows', () => {
    const d = decideCall(p, state, call('shell.exec', sh('git', 'status'), sh('rm', '-rf', '/')));
    expect(d.verdict).toBe('not_allowed');
    expect(d.deciding?.action.command).toBe('rm -rf /');
    expect(d.message).toBe('no rule allows shell.exec "rm -rf /" under policy workspace (.aex/policy.aex)');
    expect(d.events).toEqual([expect.objectContaining({ event: 'tool.denied', reason: 'not_allowed', action: { cap: 'shell.exec', command: 'rm -rf /' } })]);
  });

  it('a compound allowed call lists the rule of every action', () => {
    const d = decideCall(p, state, call('shell.exec', sh('git', 'status'), sh('git', 'diff', 'HEAD')));
    expect(d.verdict).toBe('allow');
    expect(d.proceed[0]!.actions).toEqual([
      expect.objectContaining({ rule: 'allow shell.exec:"git status"' }),
      expect.objectContaining({ rule: 'allow shell.exec:"git diff *"' }),
    ]);
  });

  it('an unknown word is allowed only under a `*`', () => {
    expect(decideCall(p, state, call('shell.exec', sh('git', 'diff', { unknown: 'many', text: '$X' }))).verdict).toBe('allow');
    expect(decideCall(p, state, call('shell.exec', sh('git', { unknown: 'many', text: '$X' }))).verdict).toBe('not_allowed');
  });
});

describe('deny before allow, and docs/design.md#unresolved-parts for unresolved parts', () => {
  const p = perms(
    policy({
      allow: [rule('allow', { tool: 'shell.exec' }), rule('allow', { tool: 'file.read', path: 'src/**' })],
      deny: [rule('deny', { tool: 'shell.exec', command: 'rm -rf *' }), rule('deny', { tool: 'file.read', path: 'secrets/**' })],
    }),
  );

  it('a denied command is reported by its deny rule, with file and line', () => {
    const d = decideCall(p, state, call('shell.exec', sh('rm', '-rf', 'build')));
    expect(d.verdict).toBe('deny');
    expect(d.message).toMatch(/^denied by 'deny shell\.exec:"rm -rf \*"' \(\.aex\/policy\.aex:\d+\): rm -rf build$/);
    expect(d.events[0]).toMatchObject({ event: 'tool.denied', reason: 'denied', layer: 'policy' });
  });

  it('an unknown program is denied by a command deny rule that could match it', () => {
    const opaque: Action = { cap: 'shell.exec', argv: [{ unknown: 'one', text: '$CMD' }], command: '$CMD', unresolved: [{ what: 'program', why: 'dynamic program' }] };
    const d = decideCall(p, state, call('shell.exec', opaque));
    expect(d.verdict).toBe('deny');
  });

  it('an environment-unresolved action is permitted only by an unqualified allow', () => {
    const env: Action = { ...sh('git', 'status'), unresolved: [{ what: 'environment', why: 'environment' }] };
    expect(decideCall(p, state, call('shell.exec', env)).verdict).toBe('allow');
    const strict = perms(policy({ allow: [rule('allow', { tool: 'shell.exec', command: 'git status' })] }));
    expect(decideCall(strict, state, call('shell.exec', env)).verdict).toBe('not_allowed');
  });

  it('a path is inside only when both forms are; may be inside when either is', () => {
    const lexicalInPhysicalOut = { cap: 'file.read', paths: [at('/proj/src/link', '/proj/secrets/key')] };
    expect(decideCall(p, state, call('file.read', lexicalInPhysicalOut)).verdict).toBe('deny');
    const outside = { cap: 'file.read', paths: [at('/proj/src/a.ts', '/elsewhere/a.ts')] };
    expect(decideCall(p, state, call('file.read', outside)).verdict).toBe('not_allowed');
    expect(decideCall(p, state, call('file.read', { cap: 'file.read', paths: [at('/proj/src/a.ts')] })).verdict).toBe('allow');
  });

  it('an unresolved path is refused by a path deny rule and never allowed by a path allow rule', () => {
    const d = decideCall(p, state, call('file.read', { cap: 'file.read', paths: [unresolvedPath('$F')] }));
    expect(d.verdict).toBe('deny');
    const noDeny = perms(policy({ allow: [rule('allow', { tool: 'file.read', path: 'src/**' })] }));
    const n = decideCall(noDeny, state, call('file.read', { cap: 'file.read', paths: [unresolvedPath('$F')] }));
    expect(n.verdict).toBe('not_allowed');
    expect(n.message).toContain('AEX cannot read part of it');
  });

  it('a qualified allow rule needs at least one path', () => {
    const noDeny = perms(policy({ allow: [rule('allow', { tool: 'file.read', path: 'src/**' })] }));
    expect(decideCall(noDeny, state, call('file.read', { cap: 'file.read' })).verdict).toBe('not_allowed');
  });
});

describe('searches have a reach', () => {
  const p = perms(policy({ allow: [rule('allow', { tool: 'file.read', path: './**' })], deny: [rule('deny', { tool: 'file.read', path: 'secrets/**' })] }));
  const searchOf = (dir: string): Action => ({ cap: 'file.read', reach: [at(dir)] });

  it('a search of a folder with nothing denied below it is allowed', () => {
    expect(decideCall(p, state, call('file.read', searchOf('/proj/src'))).verdict).toBe('allow');
  });
  it('a search of the parent folder is not allowed (its subtree leaves the project)', () => {
    const d = decideCall(p, state, call('file.read', searchOf('/')));
    expect(d.verdict).toBe('deny');
  });
  it('a search whose subtree holds a denied area is denied', () => {
    expect(decideCall(p, state, call('file.read', searchOf('/proj'))).verdict).toBe('deny');
  });
});

describe('protected state', () => {
  const p = perms(policy({ allow: [rule('allow', { tool: 'file.write' }), rule('allow', { tool: 'shell.exec' })] }));
  for (const target of ['/proj/.aex/policy.aex', '/proj/.aex/cache/x.json', '/proj/.git/config', '/proj/.git/hooks/pre-commit', '/proj/.claude/settings.json', '/proj/.mcp.json']) {
    it(`no write reaches ${target}, whatever the policy`, () => {
      const d = decideCall(p, state, call('file.write', { cap: 'file.write', paths: [at(target)] }));
      expect(d.verdict).toBe('deny');
      expect(d.events[0]).toMatchObject({ reason: 'protected', layer: 'protected' });
    });
  }
  it('a write through a symlink whose physical form is protected is denied', () => {
    const d = decideCall(p, state, call('file.write', { cap: 'file.write', paths: [at('/proj/notes/x', '/proj/.aex/policy.aex')] }));
    expect(d.verdict).toBe('deny');
  });
  it('a write to an unknown path may be protected state and is denied', () => {
    expect(decideCall(p, state, call('file.write', { cap: 'file.write', paths: [unresolvedPath('$OUT')] })).verdict).toBe('deny');
  });
  it('a policy file outside the root is protected too', () => {
    const outside = policy({ allow: [rule('allow', { tool: 'file.write' })] });
    outside.file = '/etc/aex/strict.aex';
    const d = decideCall(perms(outside), state, call('file.write', { cap: 'file.write', paths: [at('/etc/aex/strict.aex')] }));
    expect(d.verdict).toBe('deny');
  });
  it('an MCP or host tool naming protected state is denied: AEX cannot tell that it only reads', () => {
    const mcp = perms(policy({ allow: [rule('allow', { tool: 'mcp.fs.*' }), rule('allow', { tool: 'unknown.*' })] }));
    for (const cap of ['mcp.fs.write_file', 'mcp.fs.move_file', 'unknown.Notebook']) {
      const d = decideCall(mcp, state, call(cap, { cap, paths: [at('/proj/.aex/policy.aex')] }));
      expect(d.verdict, cap).toBe('deny');
      expect(d.events[0]).toMatchObject({ reason: 'protected' });
    }
    expect(decideCall(mcp, state, call('mcp.fs.write_file', { cap: 'mcp.fs.write_file', paths: [at('/proj/notes/x.md')] })).verdict).toBe('allow');
    // A search root is read, not written: listing the project stays a matter of the policy.
    const reach = decideCall(mcp, state, call('mcp.fs.search_files', { cap: 'mcp.fs.search_files', reach: [at('/proj')] }));
    expect(reach.verdict).toBe('allow');
  });

  it('reads stay governed by the policy', () => {
    const r = perms(policy({ allow: [rule('allow', { tool: 'file.read' })] }));
    expect(decideCall(r, state, call('file.read', { cap: 'file.read', paths: [at('/proj/.aex/policy.aex')] })).verdict).toBe('allow');
  });
});

describe('confirmations, budget, layers', () => {
  it('confirm: confirm.required now, tool.allowed when the call proceeds', () => {
    const p = perms(policy({ allow: [rule('allow', { tool: 'shell.exec' })], confirm: [rule('confirm', { tool: 'shell.exec', command: 'git push *' })] }));
    const d = decideCall(p, state, call('shell.exec', sh('git', 'push', 'origin', 'main')), { eventFields: { line: 4 } });
    expect(d.verdict).toBe('confirm');
    expect(d.message).toMatch(/^confirmation required by 'confirm before shell\.exec:"git push \*"' \(\.aex\/policy\.aex:\d+\): git push origin main$/);
    expect(d.events).toEqual([expect.objectContaining({ event: 'confirm.required', line: 4 })]);
    expect(d.proceed).toEqual([expect.objectContaining({ event: 'tool.allowed', line: 4 })]);
  });

  it('a call costs one unit whatever its number of actions; free calls cost none', () => {
    const p = perms(policy({ allow: [rule('allow', { tool: 'shell.exec' })], budget: { calls: 1 } }));
    expect(decideCall(p, { callsUsed: 0 }, call('shell.exec', sh('a'), sh('b'), sh('c'))).verdict).toBe('allow');
    const over = decideCall(p, { callsUsed: 1 }, call('shell.exec', sh('a')));
    expect(over.verdict).toBe('budget_exhausted');
    expect(over.events[0]).toMatchObject({ event: 'budget.exhausted', calls_used: 1, budget: 1 });
    expect(decideCall(p, { callsUsed: 1 }, call('shell.exec', sh('a')), { free: true }).verdict).toBe('allow');
  });

  it('zero allow rules permit nothing', () => {
    expect(decideCall(perms(policy({})), state, call('file.read', { cap: 'file.read' })).verdict).toBe('not_allowed');
  });

  it('every present layer must permit: the task narrows the policy', () => {
    const task: PermissionLayer = { kind: 'task', name: 'fix', file: '/proj/tasks/fix.aex', root: ROOT, allow: [rule('use', { tool: 'shell.exec', command: 'npm test' })], deny: [], confirm: [], budget: {} };
    const p = perms(policy({ allow: [rule('allow', { tool: 'shell.exec' })] }), task);
    expect(decideCall(p, state, call('shell.exec', sh('npm', 'test'))).verdict).toBe('allow');
    const d = decideCall(p, state, call('shell.exec', sh('npm', 'publish')));
    expect(d.verdict).toBe('not_allowed');
    expect(d.message).toContain('under task fix (tasks/fix.aex)');
  });

  it('where tests read the arguments', () => {
    const p = perms(policy({ allow: [rule('allow', { tool: 'mcp.slack.post_message', where: [{ arg: ['channel'], op: 'in', value: ['C1', 'C2'] }] })] }));
    const post = (channel: string): DescribedCall => ({ tool: 'mcp.slack.post_message', args: { channel }, actions: [{ cap: 'mcp.slack.post_message', args: { channel } }] });
    expect(decideCall(p, state, post('C1')).verdict).toBe('allow');
    expect(decideCall(p, state, post('C9')).verdict).toBe('not_allowed');
  });

  it('hosts: a subdomain pattern, and an unreadable host never allowed', () => {
    const p = perms(policy({ allow: [rule('allow', { tool: 'network.fetch', host: '*.github.com' })], deny: [rule('deny', { tool: 'network.fetch', host: 'evil.example' })] }));
    const fetch = (host?: string): Action => (host ? { cap: 'network.fetch', host } : { cap: 'network.fetch', unresolved: [{ what: 'host', why: 'dynamic url' }] });
    expect(decideCall(p, state, call('network.fetch', fetch('api.github.com'))).verdict).toBe('allow');
    expect(decideCall(p, state, call('network.fetch', fetch('github.com'))).verdict).toBe('not_allowed');
    expect(decideCall(p, state, call('network.fetch', fetch())).verdict).toBe('deny');
  });
});

describe('fail closed', () => {
  it('a call without actions is denied', () => {
    const p = perms(policy({ allow: [rule('allow', { tool: '*' })] }));
    expect(decideCall(p, state, { tool: 'file.read', args: {}, actions: [] }).verdict).toBe('deny');
    expect(decideCall(p, state, null as unknown as DescribedCall).verdict).toBe('deny');
  });
});
