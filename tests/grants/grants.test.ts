// `aex grant` and the grant store (docs/grants.md): grants are files in the project's
// state folder, written atomically with random ids, read back only when every field
// checks out; making one needs a person at a terminal; each change is audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGrantCommand } from '../../src/grants/command.js';
import { createGrant, GrantError, listGrants, revokeGrant } from '../../src/grants/store.js';
import { grantsDirectory, loadGrants } from '../../src/grants/load.js';
import { parseDuration, DurationError } from '../../src/grants/duration.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';

let root: string;
let stateDir: string;
let env: NodeJS.ProcessEnv;
const NOW = Date.parse('2030-01-01T00:00:00Z');

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'aex-grants-root-'));
  stateDir = mkdtempSync(path.join(tmpdir(), 'aex-grants-state-'));
  mkdirSync(path.join(root, '.aex'));
  writeFileSync(path.join(root, '.aex', 'policy.aex'), 'policy p v0\ngoal "g"\n\nallow file.read:./**\n');
  env = { AEX_STATE_DIR: stateDir };
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const io = (over: Partial<Parameters<typeof runGrantCommand>[1]> = {}) => ({ cwd: root, env, interactive: true, now: NOW, ...over });

describe('the grant store', () => {
  it('records a grant in the project\'s state folder, outside the workspace', () => {
    const g = createGrant(root, 'shell.exec:"npm test"', { env, now: NOW });
    expect(g.id).toMatch(/^g-[0-9a-f]{16}$/);
    expect(g.rule).toBe('shell.exec:"npm test"');
    expect(g.expires_at).toBe(new Date(NOW + 30 * 60_000).toISOString());
    const dir = grantsDirectory(root, env);
    expect(dir.startsWith(projectStateDirectory(root, env))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toEqual([`${g.id}.json`]);
    expect(readdirSync(root)).toEqual(['.aex']);
    expect(loadGrants(root, undefined, NOW, env)).toEqual([{ id: g.id, rule: { tool: 'shell.exec', command: 'npm test' }, expiresAt: NOW + 30 * 60_000 }]);
  });

  it('ids are random and grants never overwrite each other', () => {
    const ids = new Set(Array.from({ length: 20 }, () => createGrant(root, 'shell.exec:"npm test"', { env, now: NOW }).id));
    expect(ids.size).toBe(20);
    expect(listGrants(root, { env, now: NOW })).toHaveLength(20);
  });

  it('expired grants are listed as expired and not loaded', () => {
    createGrant(root, 'shell.exec:"npm test"', { env, now: NOW, forMs: 1000 });
    expect(loadGrants(root, undefined, NOW + 999, env)).toHaveLength(1);
    expect(loadGrants(root, undefined, NOW + 1000, env)).toHaveLength(0);
    expect(listGrants(root, { env, now: NOW + 1000 })[0]!.live).toBe(false);
  });

  it('a session grant applies to that session only', () => {
    createGrant(root, 'shell.exec:"npm test"', { env, now: NOW, session: 'abc' });
    expect(loadGrants(root, 'abc', NOW, env)).toHaveLength(1);
    expect(loadGrants(root, 'abcd', NOW, env)).toHaveLength(0);
    expect(loadGrants(root, undefined, NOW, env)).toHaveLength(0);
  });

  it('grants belong to their project', () => {
    createGrant(root, 'shell.exec:"npm test"', { env, now: NOW });
    const other = mkdtempSync(path.join(tmpdir(), 'aex-grants-other-'));
    try {
      expect(loadGrants(other, undefined, NOW, env)).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('revoking removes the grant', () => {
    const g = createGrant(root, 'shell.exec:"npm test"', { env, now: NOW });
    expect(revokeGrant(root, g.id, { env })).toBe(true);
    expect(loadGrants(root, undefined, NOW, env)).toEqual([]);
    expect(revokeGrant(root, g.id, { env })).toBe(false);
    expect(() => revokeGrant(root, '../../policy', { env })).toThrow(GrantError);
  });

  it('each grant and each revocation is in the grant audit with its id', () => {
    const g = createGrant(root, 'shell.exec:"npm test"', { env, now: NOW, session: 's1' });
    revokeGrant(root, g.id, { env });
    const lines = readFileSync(path.join(projectStateDirectory(root, env), 'audit', 'grants.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ event: 'grant.created', grant: g.id, rule: 'shell.exec:"npm test"', session: 's1', expires_at: g.expires_at }),
      expect.objectContaining({ event: 'grant.revoked', grant: g.id, rule: 'shell.exec:"npm test"' }),
    ]);
  });

  it.each([
    ['allow shell.exec:"npm test"', /without a keyword/],
    ['shell.exec', /needs a command pattern/],
    ['shell.exec:"*"', /names its program/],
    ['*', /not a pattern/],
    ['file.read:"a" , file.read:"b"', /one rule/],
    ['file.read:src/** where', /not a rule/],
    ['file.read:"src/**" # comment', /comment/],
  ])('refuses to grant %s', (text, why) => {
    expect(() => createGrant(root, text, { env, now: NOW })).toThrow(why);
    expect(existsSync(grantsDirectory(root, env))).toBe(false);
  });
});

describe('a grant file is trusted only when every field checks out', () => {
  function write(name: string, body: unknown) {
    const dir = grantsDirectory(root, env);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  const good = () => ({
    aex_grant: 1,
    id: 'g-00000000000000aa',
    rule: 'shell.exec:"npm test"',
    spec: { tool: 'shell.exec', command: 'npm test' },
    root,
    created_at: new Date(NOW).toISOString(),
    expires_at: new Date(NOW + 60_000).toISOString(),
  });

  it('a well-formed file loads', () => {
    write('g-00000000000000aa.json', good());
    expect(loadGrants(root, undefined, NOW, env)).toHaveLength(1);
  });

  it.each([
    ['the shown rule differs from the enforced one', { spec: { tool: 'shell.exec', command: 'npm *' } }],
    ['an extra rule field (a second glob would change the meaning)', { spec: { tool: 'shell.exec', command: 'npm test', alsoPaths: ['x'] } }],
    ['an unbounded rule', { rule: 'shell.exec', spec: { tool: 'shell.exec' } }],
    ['a wildcard tool', { rule: '*', spec: { tool: '*' } }],
    ['no expiry', { expires_at: 'never' }],
    ['an id that is not its file name', { id: 'g-00000000000000bb' }],
    ['another format', { aex_grant: 2 }],
    ['an empty session', { session: '' }],
  ])('ignored: %s', (_why, patch) => {
    write('g-00000000000000aa.json', { ...good(), ...patch });
    expect(loadGrants(root, undefined, NOW, env)).toEqual([]);
  });

  it('ignored: malformed JSON, a directory, a symlink, a huge file', () => {
    write('g-00000000000000aa.json', '{"aex_grant": 1,');
    mkdirSync(path.join(grantsDirectory(root, env), 'g-00000000000000bb.json'));
    const target = path.join(root, 'planted.json');
    writeFileSync(target, JSON.stringify({ ...good(), id: 'g-00000000000000cc' }));
    symlinkSync(target, path.join(grantsDirectory(root, env), 'g-00000000000000cc.json'));
    write('g-00000000000000dd.json', JSON.stringify({ ...good(), id: 'g-00000000000000dd' }) + ' '.repeat(70 * 1024));
    expect(loadGrants(root, undefined, NOW, env)).toEqual([]);
  });

  it('an unreadable grant folder means no grants, never an error', () => {
    write('g-00000000000000aa.json', good());
    if (process.getuid?.() === 0) return; // root reads everything
    chmodSync(grantsDirectory(root, env), 0o000);
    try {
      expect(loadGrants(root, undefined, NOW, env)).toEqual([]);
    } finally {
      chmodSync(grantsDirectory(root, env), 0o755);
    }
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
  ])('%s', (t, ms) => expect(parseDuration(t)).toBe(ms));
  it.each(['', '30', 'm', '-5m', '0m', '8d', '1.5h', '30 minutes'])('refuses %j', (t) => expect(() => parseDuration(t)).toThrow(DurationError));
});

describe('aex grant (in process)', () => {
  it('grants, lists and revokes', () => {
    const made = runGrantCommand({ rule: 'shell.exec:"npm test"', for: '2h' }, io());
    expect(made.exitCode).toBe(0);
    const id = /granted (g-[0-9a-f]{16})/.exec(made.stdout)![1]!;
    expect(made.stdout).toContain('shell.exec:"npm test"');
    expect(made.stdout).toContain('(2h)');
    const listed = runGrantCommand({ list: true }, io());
    expect(listed.stdout).toMatch(new RegExp(`^${id}  2h left  all sessions  shell.exec:"npm test"\\n$`));
    expect(JSON.parse(runGrantCommand({ list: true, json: true }, io()).stdout)[0]).toMatchObject({ id, live: true });
    expect(runGrantCommand({ revoke: id }, io()).stdout).toBe(`revoked ${id}\n`);
    expect(runGrantCommand({ list: true }, io()).stdout).toBe('no grants\n');
    expect(runGrantCommand({ revoke: id }, io()).exitCode).toBe(1);
  });

  it('finds the project from a subdirectory', () => {
    mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    runGrantCommand({ rule: 'shell.exec:"npm test"' }, io({ cwd: path.join(root, 'src', 'deep') }));
    expect(loadGrants(root, undefined, NOW, env)).toHaveLength(1);
  });

  it('making a grant needs a person at a terminal; listing and revoking do not', () => {
    const r = runGrantCommand({ rule: 'shell.exec:"npm test"' }, io({ interactive: false }));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/needs a person at a terminal/);
    expect(loadGrants(root, undefined, NOW, env)).toEqual([]);
    expect(runGrantCommand({ list: true }, io({ interactive: false })).exitCode).toBe(0);
  });

  it('usage errors exit 2', () => {
    expect(runGrantCommand({}, io()).exitCode).toBe(2);
    expect(runGrantCommand({ rule: 'shell.exec:"npm test"', list: true }, io()).exitCode).toBe(2);
    expect(runGrantCommand({ rule: 'shell.exec:"npm test"', for: '1y' }, io()).stderr).toMatch(/--for takes a duration/);
    expect(runGrantCommand({ rule: 'shell.exec' }, io()).stderr).toMatch(/needs a command pattern/);
  });
});
