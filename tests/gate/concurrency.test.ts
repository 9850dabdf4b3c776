import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gate, gateState } from './helpers.js';

// 50 gate processes started at once against a budget of 20 in one session: exactly 20
// allow, 30 deny with the budget reason, zero crashes, and an audit log with 50
// distinct sequence numbers.
describe('aex gate: concurrent hooks share one budget', () => {
  let C: string;
  beforeAll(() => {
    C = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-conc-')));
    writeFileSync(path.join(C, 'policy.json'), JSON.stringify({ allow: ['network.search'], budget: { calls: 20 } }));
  });
  afterAll(() => rmSync(C, { recursive: true, force: true }));

  it('50 at once, budget 20 → 20 allow, 30 deny', async () => {
    const input = JSON.stringify({ session_id: 'parallel', cwd: C, hook_event_name: 'PreToolUse', tool_name: 'WebSearch', tool_input: { query: 'q' } });
    // Warm the compiled-policy cache so all 50 take the same path.
    await gate(JSON.stringify({ session_id: 'warm', cwd: C, hook_event_name: 'PreToolUse', tool_name: 'WebSearch', tool_input: {} }), ['--policy', 'policy.json'], C);
    const runs = await Promise.all(Array.from({ length: 50 }, () => gate(input, ['--policy', 'policy.json'], C, 60_000)));
    const crashes = runs.filter((r) => r.code !== 0);
    expect(crashes.map((r) => r.stderr)).toEqual([]);
    const decisions = runs.map((r) => JSON.parse(r.stdout).hookSpecificOutput);
    expect(decisions.filter((d) => d.permissionDecision === 'allow')).toHaveLength(20);
    const denied = decisions.filter((d) => d.permissionDecision === 'deny');
    expect(denied).toHaveLength(30);
    for (const d of denied) expect(d.permissionDecisionReason).toBe('AEX: call budget exhausted (20 calls) before network.search');

    // Budget and audit live in the state folder, outside the project (docs/design.md#where-state-lives).
    const budgetDir = gateState(C).budget;
    const files = readdirSync(budgetDir).filter((f) => f.endsWith('.json'));
    const states = files.map((f) => JSON.parse(readFileSync(path.join(budgetDir, f), 'utf8')));
    expect(states.find((s) => s.sessionId === 'parallel')).toMatchObject({ callsUsed: 20 });
    expect(readdirSync(budgetDir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);

    const audit = readFileSync(gateState(C).audit('parallel'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit).toHaveLength(50);
    expect(audit.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(audit.filter((e) => e.event === 'tool.allowed')).toHaveLength(20);
    expect(audit.filter((e) => e.event === 'budget.exhausted')).toHaveLength(30);
  }, 120_000);
});
