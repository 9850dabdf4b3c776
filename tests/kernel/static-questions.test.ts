import { describe, expect, it } from 'vitest';
import { denyRuleForAnyCall, toolMayBeAllowed } from '../../src/runtime/kernel/decide.js';
import { mergePermissions } from '../../src/rules/merge.js';
import type { PermissionLayer } from '../../src/rules/types.js';

const policy: PermissionLayer = {
  kind: 'policy',
  name: 'p',
  allow: [{ tool: 'file.read', path: 'src/**' }, { tool: 'git.*' }],
  deny: [{ tool: 'git.push' }, { tool: 'file.read', path: 'src/secrets/**' }],
  confirm: [],
  budget: {},
};
const perms = mergePermissions({ policy, cwd: '/tmp' });

describe('static permission questions', () => {
  it('a tool may be allowed when some allow rule names it, even with a path part', () => {
    expect(toolMayBeAllowed(perms, 'file.read')).toBe(true);
    expect(toolMayBeAllowed(perms, 'git.status')).toBe(true);
  });

  it('a tool is never allowed when no allow rule names it or a deny rule refuses it outright', () => {
    expect(toolMayBeAllowed(perms, 'file.write')).toBe(false);
    expect(toolMayBeAllowed(perms, 'git.push')).toBe(false);
  });

  it('only deny rules without a path part refuse every call', () => {
    expect(denyRuleForAnyCall(policy.deny, 'git.push')).toEqual({ tool: 'git.push' });
    expect(denyRuleForAnyCall(policy.deny, 'file.read')).toBeUndefined();
  });
});
