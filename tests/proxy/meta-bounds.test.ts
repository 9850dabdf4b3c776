// What the proxy's checkpoints may write: each checkpoint holds the audit lines since the
// session's previous checkpoint (together they hold the audit once), at most 64
// checkpoints per project and 16 MiB per checkpoint, with a clear error past either.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallHistory, MAX_CHECKPOINTS, runMetaTool, type MetaContext } from '../../src/adapters/mcp/meta.js';
import { openProxyAudit, type ProxyAudit } from '../../src/adapters/mcp/audit.js';
import { memoryBudget } from '../../src/adapters/mcp/budget.js';
import { mergePermissions } from '../../src/rules/merge.js';
import type { PermissionLayer } from '../../src/rules/types.js';

let D: string;
beforeEach(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-meta-bounds-')));
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

function context(audit: ProxyAudit): MetaContext {
  const policy: PermissionLayer = { kind: 'policy', name: 'p', allow: [{ tool: '*' }], deny: [], confirm: [], budget: {} };
  return { cwd: D, perms: mergePermissions({ policy, cwd: D }), policy, budget: memoryBudget(), history: new CallHistory(), audit };
}

const auditOf = (name: string) =>
  readFileSync(path.join(D, '.aex', 'checkpoints', name, 'audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).n);

describe('checkpoint bounds', () => {
  it('each checkpoint holds the lines logged since the previous one', async () => {
    const audit = openProxyAudit(undefined, new PassThrough());
    const ctx = context(audit);
    audit.emit({ event: 'x', n: 1 });
    audit.emit({ event: 'x', n: 2 });
    await runMetaTool('aex.checkpoint', { name: 'one' }, ctx);
    audit.emit({ event: 'x', n: 3 });
    await runMetaTool('aex.checkpoint', { name: 'two' }, ctx);
    await runMetaTool('aex.checkpoint', { name: 'three' }, ctx);
    expect(auditOf('one')).toEqual([1, 2]);
    expect(auditOf('two')).toEqual([3]);
    expect(auditOf('three')).toEqual([]);
  });

  it('at most 64 checkpoints per project; an existing name may be saved again', async () => {
    for (let i = 0; i < MAX_CHECKPOINTS; i++) mkdirSync(path.join(D, '.aex', 'checkpoints', `c${i}`), { recursive: true });
    const ctx = context(openProxyAudit(undefined, new PassThrough()));
    await expect(runMetaTool('aex.checkpoint', { name: 'one-more' }, ctx)).rejects.toThrow(/already has 64 checkpoints \(at most 64\)/);
    await expect(runMetaTool('aex.checkpoint', { name: 'c3' }, ctx)).resolves.toMatchObject({ path: '.aex/checkpoints/c3/' });
  });

  it('at most 16 MiB per checkpoint: nothing is written past it, the proxy keeps no more than that, the next one starts afresh', async () => {
    const audit = openProxyAudit(undefined, new PassThrough());
    const ctx = context(audit);
    const big = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 17; i++) audit.emit({ event: 'big', n: i, big });
    // The window let go of the lines once past the limit: memory holds at most one checkpoint.
    expect(audit.sinceCheckpoint()).toMatchObject({ complete: false, lines: [], count: 17 });
    await expect(runMetaTool('aex.checkpoint', { name: 'huge' }, ctx)).rejects.toThrow(/more than a checkpoint holds \(16777216 bytes\)/);
    expect(() => readFileSync(path.join(D, '.aex', 'checkpoints', 'huge', 'checkpoint.json'))).toThrow();
    audit.emit({ event: 'x', n: 99 });
    await runMetaTool('aex.checkpoint', { name: 'after' }, ctx);
    expect(auditOf('after')).toEqual([99]);
  });
});
