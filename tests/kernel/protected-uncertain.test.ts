// A write whose path AEX cannot resolve is refused as possibly protected, and says so:
// it must not claim the file IS AEX's state (a relative path of an MCP server with no
// known base could be anything).
import { expect, it } from 'vitest';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import { describeCall } from '../../src/describe/index.js';
import type { EffectivePermissions, PermissionLayer } from '../../src/rules/types.js';
import { parseRule } from '../rule-text.js';

it('an unresolved path is "may be" protected; a resolved one "is"', async () => {
  const p: PermissionLayer = { kind: 'policy', name: 'w', file: '/proj/.aex/policy.aex', root: '/proj', allow: [parseRule('*')], deny: [], confirm: [], budget: {} };
  const perms: EffectivePermissions = { policy: p, deny: [], confirm: [], budget: {}, cwd: '/proj' };
  const ctx = { root: '/proj', cwd: '/proj', home: '/home/u' };
  const relative = decideCall(perms, { callsUsed: 0 }, await describeCall({ tool: 'mcp.box.write_file', args: { path: 'README.md' } }, ctx));
  expect(relative.verdict).toBe('deny');
  expect(relative.message).toMatch(/may be AEX's protected state/);
  const direct = decideCall(perms, { callsUsed: 0 }, await describeCall({ tool: 'file.write', args: { path: '/proj/.aex/policy.aex' } }, ctx));
  expect(direct.verdict).toBe('deny');
  expect(direct.message).toMatch(/ is AEX's protected state/);
});
