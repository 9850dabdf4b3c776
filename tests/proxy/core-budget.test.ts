// One budget per project session: proxies of the same session spend one ledger (the
// gate's, src/runtime/state/budget.ts), so three servers share `budget calls=N`.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inProc, tempProject, type InProc } from './inproc.js';
import { ledgerBudget, proxySessionId } from '../../src/adapters/mcp/budget.js';
import { budgetFile, callsSpent, spendBudget } from '../../src/runtime/state/budget.js';

const open: InProc[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const textOf = (m: Record<string, unknown>) => ((m.result as { content: Array<{ text: string }> }).content[0]!.text);

describe('the budget is the session ledger', () => {
  it('three proxies of one session share budget calls=4; another session has its own', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'aex-proxy-ledger-'));
    dirs.push(state);
    const project = tempProject();
    const policy = { allow: ['mcp.*'], budget: { calls: 4 } };
    const proxies: InProc[] = [];
    for (const name of ['a', 'b', 'c']) {
      const p = await inProc(policy, { dir: project, setup: { name }, budget: ledgerBudget(state, 'session-1', 4) });
      proxies.push(p);
    }
    open.push(proxies[0]!);
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(textOf(await proxies[i % 3]!.call(i, 'echo')));
    expect(results.slice(0, 4)).toEqual(['ran echo', 'ran echo', 'ran echo', 'ran echo']);
    expect(results[4]).toMatch(/^AEX: call budget exhausted \(4 calls\)/);
    expect(results[5]).toMatch(/^AEX: call budget exhausted/);
    expect(callsSpent(state, 'session-1')).toBe(4);
    // The gate's entry point sees the same count: it would refuse the session's next call.
    const gate = spendBudget(state, 'session-1', 4, (used) => ({ charge: used < 4 }));
    expect(gate).toMatchObject({ callsBefore: 4, charged: false });
    const other = await inProc(policy, { dir: project, setup: { name: 'a' }, budget: ledgerBudget(state, 'session-2', 4) });
    expect(textOf(await other.call(1, 'echo'))).toBe('ran echo');
  });

  it('a ledger record that is not the session’s fails closed: the call is refused, not forwarded', async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'aex-proxy-ledger-'));
    dirs.push(state);
    const p = await inProc({ allow: ['mcp.*'], budget: { calls: 4 } }, { setup: { name: 'a' }, budget: ledgerBudget(state, 'mine', 4) });
    open.push(p);
    spendBudget(state, 'mine', 4, () => ({ charge: true }));
    writeFileSync(budgetFile(state, 'mine'), JSON.stringify({ sessionId: 'someone-else', callsUsed: 0, lastUpdated: new Date().toISOString() }));
    const r = await p.call(1, 'echo');
    expect(r).toMatchObject({ id: 1, error: { code: -32603, message: 'AEX could not judge this call; it was not run.' } });
    expect(p.upstream.received).toEqual([]);
  });

  it('the session is AEX_SESSION_ID, else the host process that started the proxy', () => {
    expect(proxySessionId({ AEX_SESSION_ID: 'abc' }, 7)).toBe('abc');
    expect(proxySessionId({}, 4242)).toBe('mcp-host-process:4242');
  });
});
