import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/authoring/canonical-json.js';
import { keyHint, repoRelativePath } from '../../src/authoring/signature.js';
import { aexInProcess as run, type CliRun } from '../helpers/in-process-cli.js';
import { aex, tempDir } from './cli-helpers.js';

// Most cases run the CLI in-process (tests/helpers/in-process-cli.ts); the few marked
// "spawned" run it as a process, as a user does, and hold its exit status and stdio.
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

function sign(extra: string[] = [], cwd = repo): Promise<CliRun> {
  return run(['sign', file, '--id', 'release-bot', '--key', KEY, ...extra], { cwd });
}
function verify(extra: string[] = [], target = file, cwd = repo): Promise<CliRun> {
  return run(['verify', target, '--signature', sigPath, '--key', KEY, ...extra], { cwd });
}
/** The same two command lines, spawned. */
function spawnSign(extra: string[] = [], cwd = repo): CliRun {
  return aex(['sign', file, '--id', 'release-bot', '--key', KEY, ...extra], { cwd });
}
function spawnVerify(extra: string[] = [], target = file, cwd = repo): CliRun {
  return aex(['verify', target, '--signature', sigPath, '--key', KEY, ...extra], { cwd });
}
function readSig(): Record<string, unknown> {
  return JSON.parse(readFileSync(sigPath, 'utf8')) as Record<string, unknown>;
}
function writeSig(doc: unknown) {
  writeFileSync(sigPath, JSON.stringify(doc, null, 2));
}
function expectRefused(r: CliRun, reason: RegExp) {
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
  it('writes a v3 signature over the canonical record: path relative to the repository root, root commit (spawned)', () => {
    const r = spawnSign([], join(repo, 'tasks'));
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

  it('honours --output and --key-file (trimmed)', async () => {
    const keyFile = join(repo, 'key.hmac');
    writeFileSync(keyFile, `  ${KEY}\n`);
    const out = join(repo, 'sig.json');
    const r = await run(['sign', 'tasks/fix.aex', '--id', 'ci', '--key-file', 'key.hmac', '--output', 'sig.json'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`signed ${file} -> ${out}\n`);
    sigPath = out;
    expect((await verify()).code).toBe(0);
  });

  it('requires exactly one of --key and --key-file, and --id', async () => {
    writeFileSync(join(repo, 'k'), KEY);
    const both = await run(['sign', file, '--id', 'x', '--key', KEY, '--key-file', 'k'], { cwd: repo });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^error give exactly one of --key SECRET or --key-file PATH/);
    const neither = await run(['sign', file, '--id', 'x'], { cwd: repo });
    expect(neither.code).toBe(1);
    expect((await run(['sign', file, '--key', KEY], { cwd: repo })).code).toBe(1);
    expect((await run(['sign', join(repo, 'missing.aex'), '--id', 'x', '--key', KEY], { cwd: repo })).stderr).toMatch(/^error File not found/);
  });

  it('takes numeric-looking keys verbatim (0123 is not 123)', async () => {
    expect((await run(['sign', file, '--id', '007', '--key', '0123'], { cwd: repo })).code).toBe(0);
    expect(readSig().signer).toBe('007');
    expect((await run(['verify', file, '--key', '0123', '--id', '007'], { cwd: repo })).code).toBe(0);
    expectRefused(await run(['verify', file, '--key', '123'], { cwd: repo }), /different key/);
  });
});

describe('aex verify', () => {
  beforeEach(async () => {
    expect((await sign()).code).toBe(0);
  });

  it('accepts an untouched file, with and without the matching --id, and the default signature path (spawned)', () => {
    const r = spawnVerify(['--id', 'release-bot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`✔ Signature verified for ${file}\n`);
    expect(r.stderr).toBe('');
    expect(aex(['verify', 'tasks/fix.aex', '--key', KEY], { cwd: repo }).code).toBe(0);
  });

  it('accepts the same file in another clone of the repository (the path is repository-relative)', async () => {
    const clone = tempDir();
    cpSync(repo, clone, { recursive: true });
    const r = await run(['verify', join(clone, 'tasks/fix.aex'), '--key', KEY], { cwd: clone });
    expect(r.code).toBe(0);
  });

  it('refuses a changed file (spawned)', () => {
    writeFileSync(file, CONTRACT.replace('hi', 'ho'));
    expectRefused(spawnVerify(), /file content changed/);
  });

  it('refuses a changed signer, even when --id names the forged signer', async () => {
    writeSig({ ...readSig(), signer: 'release-manager' });
    expectRefused(await verify(), /signature does not match its record/);
    expectRefused(await verify(['--id', 'release-manager']), /signature does not match its record/);
  });

  it('refuses a changed time', async () => {
    writeSig({ ...readSig(), signedAt: '2020-01-01T00:00:00.000Z' });
    expectRefused(await verify(), /signature does not match its record/);
  });

  it('refuses a changed path or hash in the record', async () => {
    writeSig({ ...readSig(), file: 'tasks/other.aex' });
    expectRefused(await verify(), /does not match its record/);
  });

  it('refuses --id naming someone else', async () => {
    expectRefused(await verify(['--id', 'mallory']), /Signature signer mismatch: expected mallory, found release-bot/);
  });

  it('refuses a moved file', async () => {
    mkdirSync(join(repo, 'elsewhere'));
    const moved = join(repo, 'elsewhere', 'fix.aex');
    renameSync(file, moved);
    expectRefused(await verify([], moved), /signature is for tasks\/fix.aex, not elsewhere\/fix.aex/);
  });

  it('refuses a wrong key', async () => {
    expectRefused(await run(['verify', file, '--signature', sigPath, '--key', 'not-the-key'], { cwd: repo }), /different key/);
  });

  it('refuses a truncated signature file', async () => {
    const text = readFileSync(sigPath, 'utf8');
    writeFileSync(sigPath, text.slice(0, Math.floor(text.length / 2)));
    expectRefused(await verify(), /not valid JSON/);
  });

  it('refuses hand-made signature files', async () => {
    const sig = readSig();
    writeSig({ hash: sig.hash, signature: sig.signature });
    expectRefused(await verify(), /missing "schema"/);
    writeSig({ schema: 'aex/signature@v2', hash: sig.hash, signature: sig.signature });
    expectRefused(await verify(), /field "file"/);
    writeSig({ ...sig, schema: 'aex/signature@v4' });
    expectRefused(await verify(), /unsupported schema "aex\/signature@v4" \(expected "aex\/signature@v3"\)/);
    writeSig({ ...sig, extra: true });
    expectRefused(await verify(), /unknown field "extra"/);
    writeSig({ ...sig, signature: 'ab' });
    expectRefused(await verify(), /"signature" must be 64/);
    writeSig({ ...sig, file: '/abs/tasks/fix.aex' });
    expectRefused(await verify(), /relative to the repository root/);
    writeSig([sig]);
    expectRefused(await verify(), /top level must be a JSON object/);
  });

  it('refuses a v1 signature without --allow-v1; with it, accepts with a warning and still checks its hash, key and signer', async () => {
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
    expectRefused(await verify(), /legacy schema aex\/signature@v1.*re-sign the file with aex sign \(or pass --allow-v1/);
    expectRefused(await verify(['--id', 'old-bot']), /legacy schema/);
    const ok = await verify(['--allow-v1']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^warn signature uses the legacy schema aex\/signature@v1/);
    expectRefused(await run(['verify', file, '--signature', sigPath, '--key', 'wrong', '--allow-v1'], { cwd: repo }), /signature does not match/);
    expectRefused(await verify(['--allow-v1', '--id', 'someone']), /signer mismatch/);
    writeFileSync(file, CONTRACT + '\n');
    expectRefused(await verify(['--allow-v1']), /file content changed/);
  });

  it('needs a key and a readable signature file', async () => {
    expect((await run(['verify', file], { cwd: repo })).code).toBe(1);
    const r = await run(['verify', file, '--key', KEY, '--signature', join(repo, 'nope.json')], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error cannot read signature file/);
  });
});

describe('repository identity (aex/signature@v3)', () => {
  /** `repo`'s signed contract copied to the same relative path in a second, unrelated repository. */
  function copyIntoOtherRepo(): { other: string; copy: string; copySig: string } {
    const other = gitRepo('an unrelated repository');
    mkdirSync(join(other, 'tasks'));
    const copy = join(other, 'tasks', 'fix.aex');
    const copySig = `${copy}.signature.json`;
    cpSync(file, copy);
    cpSync(sigPath, copySig);
    return { other, copy, copySig };
  }

  it('refuses a copy moved into another repository under the same relative path', async () => {
    expect((await sign()).code).toBe(0);
    const { other, copy, copySig } = copyIntoOtherRepo();
    const r = await run(['verify', copy, '--signature', copySig, '--key', KEY], { cwd: other });
    expectRefused(r, new RegExp(`signature is for the repository commit:${rootCommitOf(repo)}, not commit:${rootCommitOf(other)}`));
    // the original still verifies
    expect((await verify()).code).toBe(0);
  });

  it('refuses an edited repository field, even one naming the repository it now sits in', async () => {
    expect((await sign()).code).toBe(0);
    const { other, copy, copySig } = copyIntoOtherRepo();
    const doc = JSON.parse(readFileSync(copySig, 'utf8')) as Record<string, unknown>;
    writeFileSync(copySig, JSON.stringify({ ...doc, repository: `commit:${rootCommitOf(other)}` }));
    expectRefused(await run(['verify', copy, '--signature', copySig, '--key', KEY], { cwd: other }), /does not match its record/);
    writeSig({ ...readSig(), repository: 'id:somewhere-else' });
    expectRefused(await verify(), /does not match its record/);
    writeSig({ ...readSig(), repository: 'somewhere-else' });
    expectRefused(await verify(), /"repository" must be "commit:<hex commit id>" or "id:<repository id>"/);
  });

  it('refuses a v3 file whose repository field was removed, and a v3 record relabelled as v2', async () => {
    expect((await sign()).code).toBe(0);
    const { repository: _dropped, ...withoutRepository } = readSig();
    writeSig(withoutRepository);
    expectRefused(await verify(), /field "repository" must be a non-empty string/);
    // Dropping the field and claiming v2 (which has none) breaks the HMAC: the schema is signed.
    writeSig({ ...withoutRepository, schema: 'aex/signature@v2' });
    expectRefused(await verify(), /does not match its record/);
    // A v2 record has no repository field at all.
    writeSig({ ...withoutRepository, schema: 'aex/signature@v2', repository: 'id:x' });
    expectRefused(await verify(), /unknown field "repository"/);
  });

  it('refuses forged schema strings', async () => {
    expect((await sign()).code).toBe(0);
    const sig = readSig();
    for (const schema of ['aex/signature@V3', 'aex/signature@v3 ', 'aex/signature@v9', 'aex/signature', 3]) {
      writeSig({ ...sig, schema });
      expectRefused(await verify(), /unsupported schema/);
    }
  });

  it('accepts a genuine v2 signature with a warning that it does not bind the repository', async () => {
    const hash = createHash('sha256').update(CONTRACT).digest('hex');
    const record = { schema: 'aex/signature@v2', file: 'tasks/fix.aex', hash, signer: 'bot', signedAt: '2025-06-01T00:00:00.000Z' };
    const v2 = { ...record, signature: createHmac('sha256', KEY).update(canonicalJson(record)).digest('hex'), keyHint: keyHint(KEY), tool: 'aex-cli' };
    writeSig(v2);
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warn the signature uses the schema aex\/signature@v2, which does not bind the repository.*re-sign/m);
    writeSig({ ...v2, signer: 'other' });
    expectRefused(await verify(), /does not match its record/);
  });

  it('cannot sign in a repository without a commit or outside any repository unless an id is given; nothing is written', async () => {
    const empty = tempDir();
    git(empty, 'init', '-q');
    writeFileSync(join(empty, 'f.aex'), CONTRACT);
    const r = await run(['sign', 'f.aex', '--id', 'x', '--key', KEY], { cwd: empty });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error the git repository at .* has no commit to identify it; commit first, or give one with --repo-id ID \(or `git config aex\.repositoryId ID`/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readdirSync(empty).sort()).toEqual(['.git', 'f.aex']);

    const withId = await run(['sign', 'f.aex', '--id', 'x', '--key', KEY, '--repo-id', 'team/empty'], { cwd: empty });
    expect(withId.code).toBe(0);
    expect(JSON.parse(readFileSync(join(empty, 'f.aex.signature.json'), 'utf8')).repository).toBe('id:team/empty');
    expect((await run(['verify', 'f.aex', '--key', KEY, '--repo-id', 'team/empty'], { cwd: empty })).code).toBe(0);
    // without the id the verifier cannot tell which repository this is: refused, with the same advice
    expectRefused(await run(['verify', 'f.aex', '--key', KEY], { cwd: empty }), /has no commit to identify it/);
    expectRefused(await run(['verify', 'f.aex', '--key', KEY, '--repo-id', 'team/other'], { cwd: empty }), /for the repository id:team\/empty, not id:team\/other/);

    const fake = tempDir();
    mkdirSync(join(fake, '.git')); // not a repository git can read
    writeFileSync(join(fake, 'f.aex'), CONTRACT);
    const unreadable = await run(['sign', 'f.aex', '--id', 'x', '--key', KEY], { cwd: fake });
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(/^error .*--repo-id ID/);
    expect(readdirSync(fake).sort()).toEqual(['.git', 'f.aex']);
  });

  it('rejects a malformed --repo-id', async () => {
    for (const bad of ['has space', '-lead', 'a\nb', 'x'.repeat(201)]) {
      const r = await run(['sign', file, '--id', 'x', '--key', KEY, `--repo-id=${bad}`], { cwd: repo });
      expect(r.code, bad).toBe(1);
      expect(r.stderr).toMatch(/^error invalid repository id/);
    }
    expect(readdirSync(join(repo, 'tasks'))).toEqual(['fix.aex']);
  });

  it('uses the repository\'s own git config aex.repositoryId, and ignores a global one', async () => {
    git(repo, 'config', 'aex.repositoryId', 'acme/tools');
    expect((await sign()).code).toBe(0);
    expect(readSig().repository).toBe('id:acme/tools');
    expect((await verify()).code).toBe(0);
    // --repo-id gives the same identity explicitly (a CI checkout has no local config)
    git(repo, 'config', '--unset', 'aex.repositoryId');
    expect((await verify(['--repo-id', 'acme/tools'])).code).toBe(0);
    expectRefused(await verify(), /for the repository id:acme\/tools, not commit:/);
    // A global value would make every repository the same: it is not read.
    const home = tempDir();
    writeFileSync(join(home, '.gitconfig'), '[aex]\n\trepositoryId = acme/tools\n');
    expectRefused(aex(['verify', file, '--signature', sigPath, '--key', KEY], { cwd: repo, env: { HOME: home, XDG_CONFIG_HOME: home } }), /not commit:/);
  });

  it('is not fooled by GIT_DIR or GIT_WORK_TREE in the environment (spawned)', async () => {
    expect((await sign()).code).toBe(0);
    const { other, copy, copySig } = copyIntoOtherRepo();
    const env = { GIT_DIR: join(repo, '.git'), GIT_WORK_TREE: repo };
    expectRefused(aex(['verify', copy, '--signature', copySig, '--key', KEY], { cwd: other, env }), /signature is for the repository/);
  });

  it('takes the oldest of several root commits (by commit time), whatever the branch', async () => {
    const original = git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
    const dated = (date: string) => ({ ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    git(repo, 'checkout', '-q', '--orphan', 'imported');
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'an older, imported history'], { cwd: repo, env: dated('1990-01-01T00:00:00Z') });
    const older = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'checkout', '-q', original);
    execFileSync('git', ['merge', '-q', '--allow-unrelated-histories', '-m', 'join', 'imported'], { cwd: repo, env: dated('2031-01-01T00:00:00Z') });
    expect(git(repo, 'rev-list', '--max-parents=0', 'HEAD').trim().split('\n').sort()).toEqual([older, rootCommitOf(`${repo}`).split('\n')[0]!].sort());
    expect((await sign()).code).toBe(0);
    expect(readSig().repository).toBe(`commit:${older}`);
    expect((await verify()).code).toBe(0);
  });

  it('refuses to take a shallow clone\'s oldest commit for the root', async () => {
    git(repo, 'add', 'tasks/fix.aex');
    git(repo, 'commit', '-q', '-m', 'task');
    expect((await sign()).code).toBe(0);
    const shallow = join(tempDir(), 'clone');
    git(repo, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    cpSync(sigPath, join(shallow, 'tasks', 'fix.aex.signature.json'));
    const r = await run(['verify', 'tasks/fix.aex', '--key', KEY], { cwd: shallow });
    expectRefused(r, /shallow clone, so its root commit is unknown; fetch its whole history/);
    const full = join(tempDir(), 'clone');
    git(repo, 'clone', '-q', `file://${repo}`, full);
    cpSync(sigPath, join(full, 'tasks', 'fix.aex.signature.json'));
    expect((await run(['verify', 'tasks/fix.aex', '--key', KEY], { cwd: full })).code).toBe(0);
  });
});

describe('signature helpers', () => {
  it('keyHint is 12 hex characters and depends on the key', async () => {
    expect(keyHint('a')).toMatch(/^[0-9a-f]{12}$/);
    expect(keyHint('a')).not.toBe(keyHint('b'));
  });

  it('refuses to sign a file outside the repository and the current directory', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'f.aex'), CONTRACT);
    const nested = join(outside, 'sub');
    mkdirSync(nested);
    const r = await run(['sign', join(outside, 'f.aex'), '--id', 'x', '--key', KEY], { cwd: nested });
    // tmpdir is normally not inside a repository; if it is, the file is inside that repository and signing is fine
    if (r.code !== 0) expect(r.stderr).toMatch(/outside the repository/);
  });

  it('falls back to the cwd when there is no repository', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'f.aex'), '');
    // tmpdir may itself sit inside a repository on some machines; only assert the shape
    const rel = repoRelativePath(join(dir, 'x', 'f.aex'), dir);
    expect(rel.endsWith('x/f.aex')).toBe(true);
  });
});
