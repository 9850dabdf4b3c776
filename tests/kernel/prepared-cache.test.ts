// decideCall keeps the rules and protected entries it derives from an
// EffectivePermissions object (src/runtime/kernel/prepared.ts). The attack: decide once
// so the copy is made, then change the permissions in place — push a deny rule, replace
// a rule, swap a layer, move the root, add a policy file or an extra protected entry —
// and check that the next decision sees the change instead of the stale copy.
import { describe, expect, it } from 'vitest';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import { preparedFor } from '../../src/runtime/kernel/prepared.js';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../src/rules/types.js';
import type { Action, DescribedCall } from '../../src/describe/types.js';

const state = { callsUsed: 0 };
const sh = (...argv: string[]): Action => ({ cap: 'shell.exec', argv, program: argv[0]!, command: argv.join(' ') });
const write = (p: string): Action => ({ cap: 'file.write', paths: [{ given: p, forms: [p] }] });
const call = (tool: string, ...actions: Action[]): DescribedCall => ({ tool, args: {}, actions });

function setup(): { perms: EffectivePermissions; layer: PermissionLayer } {
  const layer: PermissionLayer = {
    kind: 'policy',
    name: 'p',
    file: '/proj/.aex/policy.aex',
    root: '/proj',
    allow: [{ tool: 'shell.exec' }, { tool: 'file.write' }],
    deny: [],
    confirm: [],
    budget: {},
  };
  return { perms: { policy: layer, deny: [], confirm: [], budget: {}, cwd: '/proj' }, layer };
}

const rm = call('shell.exec', sh('rm', '-rf', 'build'));

describe('a change to the permissions after a decision is seen by the next one', () => {
  it('a deny rule pushed onto the layer', () => {
    const { perms, layer } = setup();
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    layer.deny.push({ tool: 'shell.exec', command: 'rm -rf *' });
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('a deny rule pushed onto the merged list only', () => {
    const { perms } = setup();
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    perms.deny.push({ tool: 'shell.exec', command: 'rm *' });
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('a rule replaced in place (same list, same length)', () => {
    const { perms, layer } = setup();
    layer.deny.push({ tool: 'shell.exec', command: 'git push *' });
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    layer.deny[0] = { tool: 'shell.exec', command: 'rm -rf *' };
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('a confirm rule added, then the deny list swapped for another array', () => {
    const { perms, layer } = setup();
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    layer.confirm.push({ tool: 'shell.exec', command: 'rm *' });
    expect(decideCall(perms, state, rm).verdict).toBe('confirm');
    layer.deny = [{ tool: 'shell.exec' }];
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('a task layer added to the same permissions object', () => {
    const { perms } = setup();
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    const deny: RuleSpec = { tool: 'shell.exec', command: 'rm *' };
    perms.task = { kind: 'task', name: 't', allow: [{ tool: 'shell.exec' }], deny: [deny], confirm: [], budget: {} };
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('the root moved: the protected entries follow it', () => {
    const { perms, layer } = setup();
    const w = call('file.write', write('/other/.git/config'));
    expect(decideCall(perms, state, w).verdict).toBe('allow');
    perms.cwd = '/other';
    layer.root = '/other';
    expect(decideCall(perms, state, w).verdict).toBe('deny');
  });

  it('a policy file added to the layer is protected at once', () => {
    const { perms, layer } = setup();
    const w = call('file.write', write('/etc/aex/base.aex'));
    expect(decideCall(perms, state, w).verdict).toBe('allow');
    layer.files = ['/etc/aex/base.aex'];
    expect(decideCall(perms, state, w).verdict).toBe('deny');
    layer.files.push('/etc/aex/more.aex');
    expect(decideCall(perms, state, call('file.write', write('/etc/aex/more.aex'))).verdict).toBe('deny');
  });

  it('extra protected entries differ per call: each call is judged with its own', () => {
    const { perms } = setup();
    const w = call('file.write', write('/state/x.json'));
    expect(decideCall(perms, state, w).verdict).toBe('allow');
    expect(decideCall(perms, state, w, { protect: ['/state/**'] }).verdict).toBe('deny');
    const extra = ['/elsewhere/**'];
    expect(decideCall(perms, state, w, { protect: extra }).verdict).toBe('allow');
    extra.push('/state/**');
    expect(decideCall(perms, state, w, { protect: extra }).verdict).toBe('deny');
    expect(decideCall(perms, state, w).verdict).toBe('allow');
    // Replaced in place at the same length: still seen.
    const same = ['/elsewhere/**'];
    expect(decideCall(perms, state, w, { protect: same }).verdict).toBe('allow');
    same[0] = '/state/**';
    expect(decideCall(perms, state, w, { protect: same }).verdict).toBe('deny');
  });

  it('a new list of the same extra entries (as surfaces build per call) reuses the prepared copy', () => {
    const { perms } = setup();
    const first = preparedFor(perms, ['/state/**', '/key']);
    expect(preparedFor(perms, ['/state/**', '/key'])).toBe(first);
    expect(preparedFor(perms, ['/state/**'])).not.toBe(first);
  });

  it('a relative root is never cached and still decides', () => {
    const { perms, layer } = setup();
    perms.cwd = 'proj';
    layer.root = 'proj';
    expect(decideCall(perms, state, rm).verdict).toBe('allow');
    layer.deny.push({ tool: 'shell.exec', command: 'rm -rf *' });
    expect(decideCall(perms, state, rm).verdict).toBe('deny');
  });

  it('a non-string capability still fails closed', () => {
    const { perms } = setup();
    const bad = { cap: 42 } as unknown as Action;
    expect(decideCall(perms, state, call('shell.exec', bad)).verdict).toBe('deny');
  });
});

describe('provenance names the rule as it is now', () => {
  it('a rule whose source line changed after a decision is reported at its new line', () => {
    const { perms, layer } = setup();
    const rule: RuleSpec = { tool: 'shell.exec', command: 'rm *', keyword: 'allow', source: { file: '/proj/.aex/policy.aex', line: 3 } };
    layer.allow = [rule];
    expect(decideCall(perms, state, rm).proceed[0]).toMatchObject({ source: '.aex/policy.aex:3' });
    rule.source = { file: '/proj/.aex/other.aex', line: 9 };
    expect(decideCall(perms, state, rm).proceed[0]).toMatchObject({ source: '.aex/other.aex:9' });
    rule.source.line = 10;
    expect(decideCall(perms, state, rm).proceed[0]).toMatchObject({ source: '.aex/other.aex:10' });
    perms.cwd = '/';
    layer.root = '/';
    expect(decideCall(perms, state, rm).proceed[0]).toMatchObject({ source: 'proj/.aex/other.aex:10' });
  });
});
