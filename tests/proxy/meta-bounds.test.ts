// What the proxy's checkpoints may write (SPEC-2 §18): each checkpoint holds the audit
// lines since the session's previous checkpoint (together they hold the audit once), at
// most 64 checkpoints per project and 16 MiB per checkpoint, with a clear error past either.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_CHECKPOINTS, runMetaTool, type MetaContext } from '../../src/adapters/mcp/meta.js';
import { mergePermissions } from '../../src/rules/merge.js';
import type { PermissionLayer } from '../../src/rules/types.js';

let D: string;
beforeEach(() => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-meta-bounds-')));
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

function context(lines: string[]): MetaContext {
  const policy: PermissionLayer = { kind: 'policy', name: 'p', allow: [{ tool: '*' }], deny: [], confirm: [], budget: {} };
  return { cwd: D, perms: mergePermissions({ policy, cwd: D }), policy, state: { callsUsed: 0, history: [] }, auditLines: () => lines };
}

const auditOf = (name: string) => readFileSync(path.join(D, '.aex', 'checkpoints', name, 'audit.jsonl'), 'utf8');

describe('checkpoint bounds', () => {
  it('each checkpoint holds the lines logged since the previous one', async () => {
    const lines = ['{"seq":1}\n', '{"seq":2}\n'];
    const ctx = context(lines);
    await runMetaTool('aex.checkpoint', { name: 'one' }, ctx);
    lines.push('{"seq":3}\n');
    await runMetaTool('aex.checkpoint', { name: 'two' }, ctx);
    await runMetaTool('aex.checkpoint', { name: 'three' }, ctx);
    expect(auditOf('one')).toBe('{"seq":1}\n{"seq":2}\n');
    expect(auditOf('two')).toBe('{"seq":3}\n');
    expect(auditOf('three')).toBe('');
  });

  it('at most 64 checkpoints per project; an existing name may be saved again', async () => {
    for (let i = 0; i < MAX_CHECKPOINTS; i++) mkdirSync(path.join(D, '.aex', 'checkpoints', `c${i}`), { recursive: true });
    const ctx = context([]);
    await expect(runMetaTool('aex.checkpoint', { name: 'one-more' }, ctx)).rejects.toThrow(/already has 64 checkpoints \(at most 64\)/);
    await expect(runMetaTool('aex.checkpoint', { name: 'c3' }, ctx)).resolves.toMatchObject({ path: '.aex/checkpoints/c3/' });
  });

  it('at most 16 MiB per checkpoint, and nothing is written past it', async () => {
    const big = 'x'.repeat(1024 * 1024) + '\n';
    const ctx = context(Array.from({ length: 17 }, () => big));
    await expect(runMetaTool('aex.checkpoint', { name: 'huge' }, ctx)).rejects.toThrow(/a checkpoint holds at most 16777216 bytes/);
    expect(() => readFileSync(path.join(D, '.aex', 'checkpoints', 'huge', 'checkpoint.json'))).toThrow();
  });
});
