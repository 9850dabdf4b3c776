import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/authoring/canonical-json.js';
import { keyHint, repoRelativePath } from '../../src/authoring/signature.js';
import { aex, tempDir } from './cli-helpers.js';

// These tests spawn the CLI; leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const KEY = 's3cret-key';
const CONTRACT = 'task t v0\ngoal "g"\nuse echo\ndo echo(msg="hi") -> out\nreturn out\n';

let repo: string;
let file: string;
let sigPath: string;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
/** A real git repository with one commit (message `msg`, so two repositories get two root commits). */
function gitRepo(msg = 'root'): string {
  const dir = tempDir();
  git(dir, 'init', '-q');
  git(dir, 'commit', '-q', '--allow-empty', '-m', msg);
  return dir;
}
function rootCommitOf(dir: string): string {
  return git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
}

function sign(extra: string[] = [], cwd = repo) {
  return aex(['sign', file, '--id', 'release-bot', '--key', KEY, ...extra], { cwd });
}
function verify(extra: string[] = [], target = file, cwd = repo) {
  return aex(['verify', target, '--signature', sigPath, '--key', KEY, ...extra], { cwd });
}
function readSig(): Record<string, unknown> {
  return JSON.parse(readFileSync(sigPath, 'utf8')) as Record<string, unknown>;
}
function writeSig(doc: unknown) {
  writeFileSync(sigPath, JSON.stringify(doc, null, 2));
}
function expectRefused(r: ReturnType<typeof aex>, reason: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^invalid Signature verification failed: /m);
  expect(r.stderr).toMatch(reason);
}

beforeEach(() => {
  repo = gitRepo(`root of ${Math.random()}`);
  mkdirSync(join(repo, 'tasks'));
  file = join(repo, 'tasks', 'fix.aex');
  sigPath = `${file}.signature.json`;
  writeFileSync(file, CONTRACT);
});

describe('aex sign', () => {
  it('writes a v3 signature over the canonical record: path relative to the repository root, root commit', () => {
    const r = sign([], join(repo, 'tasks'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`signed ${file} -> ${sigPath}\n`);
    const sig = readSig();
    expect(Object.keys(sig).sort()).toEqual(['file', 'hash', 'keyHint', 'repository', 'schema', 'signature', 'signedAt', 'signer', 'tool']);
    expect(sig.schema).toBe('aex/signature@v3');
    expect(sig.file).toBe('tasks/fix.aex');
    expect(sig.repository).toBe(`commit:${rootCommitOf(repo)}`);
    expect(sig.signer).toBe('release-bot');
    expect(sig.hash).toBe(createHash('sha256').update(CONTRACT).digest('hex'));
    const payload = canonicalJson({
      schema: sig.schema,
      file: sig.file,
      repository: sig.repository,
      hash: sig.hash,
      signer: sig.signer,
      signedAt: sig.signedAt,
    });
    expect(payload.startsWith('{"file":"tasks/fix.aex","hash":"')).toBe(true);
    expect(sig.signature).toBe(createHmac('sha256', KEY).update(payload).digest('hex'));
    // The hint is an HMAC of a constant, not a prefix of a plain hash of the key.
    expect(sig.keyHint).toBe(createHmac('sha256', KEY).update('aex-key-hint').digest('hex').slice(0, 12));
    expect(sig.keyHint).not.toBe(createHash('sha1').update(KEY).digest('hex').slice(0, 12));
    expect(new Date(sig.signedAt as string).toISOString()).toBe(sig.signedAt);
    // atomic write: no temporary file left behind
    expect(readdirSync(join(repo, 'tasks')).sort()).toEqual(['fix.aex', 'fix.aex.signature.json']);
  });

  it('honours --output and --key-file (trimmed)', () => {
    const keyFile = join(repo, 'key.hmac');
    writeFileSync(keyFile, `  ${KEY}\n`);
    const out = join(repo, 'sig.json');
    const r = aex(['sign', 'tasks/fix.aex', '--id', 'ci', '--key-file', 'key.hmac', '--output', 'sig.json'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`signed ${file} -> ${out}\n`);
    sigPath = out;
    expect(verify().code).toBe(0);
  });

  it('requires exactly one of --key and --key-file, and --id', () => {
    writeFileSync(join(repo, 'k'), KEY);
    const both = aex(['sign', file, '--id', 'x', '--key', KEY, '--key-file', 'k'], { cwd: repo });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^error give exactly one of --key SECRET or --key-file PATH/);
    const neither = aex(['sign', file, '--id', 'x'], { cwd: repo });
    expect(neither.code).toBe(1);
    expect(aex(['sign', file, '--key', KEY], { cwd: repo }).code).toBe(1);
    expect(aex(['sign', join(repo, 'missing.aex'), '--id', 'x', '--key', KEY], { cwd: repo }).stderr).toMatch(/^error File not found/);
  });

  it('takes numeric-looking keys verbatim (0123 is not 123)', () => {
    expect(aex(['sign', file, '--id', '007', '--key', '0123'], { cwd: repo }).code).toBe(0);
    expect(readSig().signer).toBe('007');
    expect(aex(['verify', file, '--key', '0123', '--id', '007'], { cwd: repo }).code).toBe(0);
    expectRefused(aex(['verify', file, '--key', '123'], { cwd: repo }), /different key/);
  });
});

describe('aex verify', () => {
  beforeEach(() => {
    expect(sign().code).toBe(0);
  });

  it('accepts an untouched file, with and without the matching --id, and the default signature path', () => {
    const r = verify(['--id', 'release-bot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`✔ Signature verified for ${file}\n`);
    expect(r.stderr).toBe('');
    expect(aex(['verify', 'tasks/fix.aex', '--key', KEY], { cwd: repo }).code).toBe(0);
  });

  it('accepts the same file in another clone of the repository (the path is repository-relative)', () => {
    const clone = tempDir();
    cpSync(repo, clone, { recursive: true });
    const r = aex(['verify', join(clone, 'tasks/fix.aex'), '--key', KEY], { cwd: clone });
    expect(r.code).toBe(0);
  });

  it('refuses a changed file', () => {
    writeFileSync(file, CONTRACT.replace('hi', 'ho'));
    expectRefused(verify(), /file content changed/);
  });

  it('refuses a changed signer, even when --id names the forged signer', () => {
    writeSig({ ...readSig(), signer: 'release-manager' });
    expectRefused(verify(), /signature does not match its record/);
    expectRefused(verify(['--id', 'release-manager']), /signature does not match its record/);
  });

  it('refuses a changed time', () => {
    writeSig({ ...readSig(), signedAt: '2020-01-01T00:00:00.000Z' });
    expectRefused(verify(), /signature does not match its record/);
  });

  it('refuses a changed path or hash in the record', () => {
    writeSig({ ...readSig(), file: 'tasks/other.aex' });
    expectRefused(verify(), /does not match its record/);
  });

  it('refuses --id naming someone else', () => {
    expectRefused(verify(['--id', 'mallory']), /Signature signer mismatch: expected mallory, found release-bot/);
  });

  it('refuses a moved file', () => {
    mkdirSync(join(repo, 'elsewhere'));
    const moved = join(repo, 'elsewhere', 'fix.aex');
    renameSync(file, moved);
    expectRefused(verify([], moved), /signature is for tasks\/fix.aex, not elsewhere\/fix.aex/);
  });

  it('refuses a wrong key', () => {
    expectRefused(aex(['verify', file, '--signature', sigPath, '--key', 'not-the-key'], { cwd: repo }), /different key/);
  });

  it('refuses a truncated signature file', () => {
    const text = readFileSync(sigPath, 'utf8');
    writeFileSync(sigPath, text.slice(0, Math.floor(text.length / 2)));
    expectRefused(verify(), /not valid JSON/);
  });

  it('refuses hand-made signature files', () => {
    const sig = readSig();
    writeSig({ hash: sig.hash, signature: sig.signature });
    expectRefused(verify(), /missing "schema"/);
    writeSig({ schema: 'aex/signature@v2', hash: sig.hash, signature: sig.signature });
    expectRefused(verify(), /field "file"/);
    writeSig({ ...sig, schema: 'aex/signature@v4' });
    expectRefused(verify(), /unsupported schema "aex\/signature@v4" \(expected "aex\/signature@v3"\)/);
    writeSig({ ...sig, extra: true });
    expectRefused(verify(), /unknown field "extra"/);
    writeSig({ ...sig, signature: 'ab' });
    expectRefused(verify(), /"signature" must be 64/);
    writeSig({ ...sig, file: '/abs/tasks/fix.aex' });
    expectRefused(verify(), /relative to the repository root/);
    writeSig([sig]);
    expectRefused(verify(), /top level must be a JSON object/);
  });

  it('refuses a v1 signature without --allow-v1; with it, accepts with a warning and still checks its hash, key and signer', () => {
    const hash = createHash('sha256').update(CONTRACT).digest('hex');
    const v1 = {
      schema: 'aex/signature@v1',
      file,
      hash,
      signer: 'old-bot',
      signedAt: '2025-01-01T00:00:00.000Z',
      signature: createHmac('sha256', KEY).update(hash).digest('hex'),
      keyHint: createHash('sha1').update(KEY).digest('hex').slice(0, 12),
      tool: 'aex-cli',
    };
    writeSig(v1);
    expectRefused(verify(), /legacy schema aex\/signature@v1.*re-sign the file with aex sign \(or pass --allow-v1/);
    expectRefused(verify(['--id', 'old-bot']), /legacy schema/);
    const ok = verify(['--allow-v1']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^warn signature uses the legacy schema aex\/signature@v1/);
    expectRefused(aex(['verify', file, '--signature', sigPath, '--key', 'wrong', '--allow-v1'], { cwd: repo }), /signature does not match/);
    expectRefused(verify(['--allow-v1', '--id', 'someone']), /signer mismatch/);
    writeFileSync(file, CONTRACT + '\n');
    expectRefused(verify(['--allow-v1']), /file content changed/);
  });

  it('needs a key and a readable signature file', () => {
    expect(aex(['verify', file], { cwd: repo }).code).toBe(1);
    const r = aex(['verify', file, '--key', KEY, '--signature', join(repo, 'nope.json')], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error cannot read signature file/);
  });
});

describe('signature helpers', () => {
  it('keyHint is 12 hex characters and depends on the key', () => {
    expect(keyHint('a')).toMatch(/^[0-9a-f]{12}$/);
    expect(keyHint('a')).not.toBe(keyHint('b'));
  });

  it('refuses to sign a file outside the repository and the current directory', () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'f.aex'), CONTRACT);
    const nested = join(outside, 'sub');
    mkdirSync(nested);
    const r = aex(['sign', join(outside, 'f.aex'), '--id', 'x', '--key', KEY], { cwd: nested });
    // tmpdir is normally not inside a repository; if it is, the file is inside that repository and signing is fine
    if (r.code !== 0) expect(r.stderr).toMatch(/outside the repository/);
  });

  it('falls back to the cwd when there is no repository', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'f.aex'), '');
    // tmpdir may itself sit inside a repository on some machines; only assert the shape
    const rel = repoRelativePath(join(dir, 'x', 'f.aex'), dir);
    expect(rel.endsWith('x/f.aex')).toBe(true);
  });
});
