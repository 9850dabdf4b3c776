// `aex serve`'s fast paths: session audit files kept open (the chain must still be right when
// gates append the same file between two of serve's appends), project state folders kept in
// memory, and --audit-key-file sealing every append as the gate does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendGateAudit, GateAuditAppender } from '../../src/runtime/audit/gate-audit.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { ProjectStateDirectories, projectStateDirectory } from '../../src/runtime/state-dir.js';
import { startServe } from '../../src/serve/server.js';

let base: string;
beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-serve-audit-')));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const ev = (n: number) => [{ event: 'tool.allowed', tool: 'file.read', n }];
const seqs = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);

describe('GateAuditAppender', () => {
  it('chains its appends, reading the tail only once while nobody else writes', () => {
    const file = path.join(base, 'a', 'gate-s.jsonl');
    const w = new GateAuditAppender();
    for (let i = 0; i < 5; i++) w.append(file, ev(i), { chainId: 's' });
    w.close();
    expect(w.tailReads).toBe(1);
    expect(seqs(file)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyAuditFile(file, { chainId: 's' }).ok).toBe(true);
  });

  it('goes on from what another process appended between two of its appends', () => {
    const file = path.join(base, 'b', 'gate-s.jsonl');
    const w = new GateAuditAppender();
    w.append(file, ev(1), { chainId: 's' });
    appendGateAudit(file, ev(2), { chainId: 's' }); // a gate process of the same session
    w.append(file, ev(3), { chainId: 's' });
    appendGateAudit(file, ev(4), { chainId: 's' });
    appendGateAudit(file, ev(5), { chainId: 's' });
    w.append(file, ev(6), { chainId: 's' });
    w.close();
    expect(seqs(file)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(verifyAuditFile(file, { chainId: 's' }).ok).toBe(true);
  });

  it('after a torn line from another writer, starts a new line and the chain goes on after it', () => {
    const file = path.join(base, 'c', 'gate-s.jsonl');
    const w = new GateAuditAppender();
    w.append(file, ev(1), { chainId: 's' });
    appendFileSync(file, '{"ts":"x","seq":2,"ev');
    w.append(file, ev(3), { chainId: 's' });
    w.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[1]).toBe('{"ts":"x","seq":2,"ev');
    expect(JSON.parse(lines[2]!).seq).toBe(2);
  });

  it('a file removed or replaced behind it is reopened: nothing is written into the old inode', () => {
    const file = path.join(base, 'd', 'gate-s.jsonl');
    const w = new GateAuditAppender();
    w.append(file, ev(1), { chainId: 's' });
    renameSync(file, file + '.old');
    w.append(file, ev(2), { chainId: 's' });
    expect(seqs(file + '.old')).toEqual([1]);
    expect(seqs(file)).toEqual([1]);
    unlinkSync(file);
    writeFileSync(file, '');
    w.append(file, ev(3), { chainId: 's' });
    w.close();
    expect(seqs(file)).toEqual([1]);
    expect(verifyAuditFile(file, { chainId: 's' }).ok).toBe(true);
  });

  it('with a key every append ends sealed, and the sealed log verifies with the key', () => {
    const file = path.join(base, 'e', 'gate-s.jsonl');
    const key = Buffer.from('k'.repeat(32));
    const w = new GateAuditAppender();
    w.append(file, ev(1), { chainId: 's', sealKey: key });
    appendGateAudit(file, ev(2), { chainId: 's', sealKey: key });
    w.append(file, ev(3), { chainId: 's', sealKey: key });
    w.close();
    expect(seqs(file)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(verifyAuditFile(file, { chainId: 's', key }).ok).toBe(true);
    expect(verifyAuditFile(file, { chainId: 's', key: Buffer.from('other') }).ok).toBe(false);
  });

  it('keeps at most maxOpen files open, and a closed one goes on from its tail', () => {
    const w = new GateAuditAppender(2);
    const files = ['x', 'y', 'z'].map((n) => path.join(base, 'f', `gate-${n}.jsonl`));
    for (const f of files) w.append(f, ev(1), { chainId: 'c' });
    for (const f of files) w.append(f, ev(2), { chainId: 'c' });
    w.close();
    for (const f of files) expect(seqs(f)).toEqual([1, 2]);
  });
});

describe('ProjectStateDirectories', () => {
  it('gives what projectStateDirectory gives, per state folder', () => {
    const root = path.join(base, 'proj');
    mkdirSync(root, { recursive: true });
    const dirs = new ProjectStateDirectories();
    const e1 = { AEX_STATE_DIR: path.join(base, 's1') };
    const e2 = { AEX_STATE_DIR: path.join(base, 's2') };
    for (let i = 0; i < 3; i++) {
      expect(dirs.of(root, e1)).toBe(projectStateDirectory(root, e1));
      expect(dirs.of(root, e2)).toBe(projectStateDirectory(root, e2));
    }
  });

  it('works the identity out again when the root changes: a linked worktree made in place shares its main project', () => {
    const main = path.join(base, 'main');
    mkdirSync(path.join(main, '.git', 'worktrees', 'wt'), { recursive: true });
    const wt = path.join(base, 'wt');
    mkdirSync(wt);
    const env = { AEX_STATE_DIR: path.join(base, 'st') };
    const dirs = new ProjectStateDirectories();
    const before = dirs.of(wt, env);
    expect(before).toBe(projectStateDirectory(wt, env));
    // Make `wt` a linked worktree of `main` (the links checked both ways).
    const gitDir = path.join(main, '.git', 'worktrees', 'wt');
    writeFileSync(path.join(gitDir, 'commondir'), '../..\n');
    writeFileSync(path.join(gitDir, 'gitdir'), path.join(wt, '.git') + '\n');
    writeFileSync(path.join(wt, '.git'), `gitdir: ${gitDir}\n`);
    const after = dirs.of(wt, env);
    expect(after).toBe(projectStateDirectory(main, env));
    expect(after).not.toBe(before);
  });
});

describe('aex serve --audit-key-file', () => {
  it('seals every append, protects the key file, and will not start with a key it cannot read', async () => {
    const project = path.join(base, 'sealed');
    mkdirSync(path.join(project, '.aex'), { recursive: true });
    writeFileSync(path.join(project, '.aex', 'policy.aex'), ['policy sealed v1', 'goal "t"', 'allow file.read:/**, file.write:/**', ''].join('\n'));
    const keyFile = path.join(base, 'audit.key');
    writeFileSync(keyFile, 'serve-key-0123456789\n');
    const env = { PATH: process.env.PATH, AEX_STATE_DIR: path.join(base, 'sealed-state') };
    const srv = await startServe({ listen: { host: '127.0.0.1', port: 0 }, token: undefined, env, processCwd: base, auditKeyFile: keyFile });
    const post = async (tool_name: string, tool_input: Record<string, unknown>) => {
      const r = await fetch(`${srv.url}/hook/claude-code`, { method: 'POST', body: JSON.stringify({ session_id: 'k1', cwd: project, hook_event_name: 'PreToolUse', tool_name, tool_input }) });
      return (JSON.parse(await r.text()) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision;
    };
    try {
      expect(await post('Read', { file_path: path.join(project, 'a.txt') })).toBe('allow');
      // file.write:/** allows every path, but not the key.
      expect(await post('Write', { file_path: keyFile, content: 'x' })).toBe('deny');
      expect(await post('Read', { file_path: path.join(project, 'b.txt') })).toBe('allow');
    } finally {
      await srv.close();
    }
    const file = path.join(projectStateDirectory(project, env), 'audit', 'gate-k1.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(lines.filter((l) => l.event === 'audit.sealed')).toHaveLength(3);
    expect(lines.at(-1)!.event).toBe('audit.sealed');
    expect(verifyAuditFile(file, { chainId: 'k1', key: Buffer.from('serve-key-0123456789') }).ok).toBe(true);

    await expect(startServe({ listen: { host: '127.0.0.1', port: 0 }, token: undefined, env, processCwd: base, auditKeyFile: path.join(base, 'missing.key') })).rejects.toThrow(/cannot read audit key file/);
    // The default is $AEX_AUDIT_KEY_FILE of the server's environment.
    await expect(startServe({ listen: { host: '127.0.0.1', port: 0 }, token: undefined, env: { ...env, AEX_AUDIT_KEY_FILE: path.join(base, 'missing.key') }, processCwd: base })).rejects.toThrow(/cannot read audit key file/);
  });
});
