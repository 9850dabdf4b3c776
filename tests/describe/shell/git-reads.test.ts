// git subcommands that print file contents are file.read actions: `deny file.read:secrets/**`
// cannot be walked past through git's object store, and name-only forms stay allowed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeShell } from '../../../src/describe/shell/index.js';
import { parseIndex } from '../../../src/describe/shell/git-index.js';
import { decideCall } from '../../../src/runtime/kernel/decide.js';
import { mergePermissions } from '../../../src/rules/merge.js';
import type { PermissionLayer, RuleSpec } from '../../../src/rules/types.js';
import type { DescribeContext } from '../../../src/describe/types.js';

const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aex-git-reads-')));
for (const d of ['.git/refs/heads', 'src', 'secrets', 'sub/deep']) fs.mkdirSync(path.join(repo, d), { recursive: true });
fs.writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
fs.writeFileSync(path.join(repo, '.git', 'refs', 'heads', 'main'), '0'.repeat(40) + '\n');
for (const f of ['src/index.ts', 'secrets/key', 'README.md', 'sub/deep/x.txt']) fs.writeFileSync(path.join(repo, f), 'x\n');

const home = path.join(repo, 'home');
const ctx: DescribeContext = { root: repo, cwd: repo, home };
const subCtx: DescribeContext = { ...ctx, cwd: path.join(repo, 'sub') };

const rule = (keyword: RuleSpec['keyword'], tool: string, q: Partial<RuleSpec>): RuleSpec => ({ tool, keyword, ...q });
const layer: PermissionLayer = {
  kind: 'policy', name: 'git-reads', root: repo, confirm: [], budget: {},
  allow: [rule('allow', 'shell.exec', { command: 'git *' }), rule('allow', 'file.read', { path: './**' }), rule('allow', 'file.write', { path: './**' })],
  deny: [rule('deny', 'file.read', { path: 'secrets/**' }), rule('deny', 'file.write', { path: 'secrets/**' })],
};
const perms = mergePermissions({ policy: layer, cwd: repo });

async function verdict(line: string, context = ctx): Promise<string> {
  const actions = await describeShell(line, context);
  return decideCall(perms, { callsUsed: 0 }, { tool: 'shell.exec', args: { command: line }, actions }).verdict;
}

/** A version-2 index listing `names` (contents of the other fields do not matter here). */
function indexOf(names: string[], version = 2): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(names.length, 8);
  parts.push(header);
  let previous = '';
  for (const name of names) {
    const fixed = Buffer.alloc(62);
    fixed.writeUInt32BE(0o100644, 24);
    fixed.writeUInt16BE(Math.min(name.length, 0xfff), 60);
    if (version === 4) {
      let common = 0;
      while (common < previous.length && previous[common] === name[common]) common++;
      const strip = previous.length - common;
      parts.push(fixed, Buffer.from([strip]), Buffer.from(name.slice(common) + '\0'));
    } else {
      const length = 62 + Buffer.byteLength(name);
      const padded = Math.ceil((length + 1) / 8) * 8;
      parts.push(fixed, Buffer.from(name), Buffer.alloc(padded - length));
    }
    previous = name;
  }
  return Buffer.concat(parts);
}

function writeIndex(names: string[] | null): void {
  const file = path.join(repo, '.git', 'index');
  if (names === null) fs.rmSync(file, { force: true });
  else fs.writeFileSync(file, indexOf(names));
}

describe('reading a secret through git is refused', () => {
  test.each([
    'git show HEAD:secrets/key',
    'git show main~3:secrets/key',
    'git show :secrets/key',
    'git show :0:secrets/key',
    'git show HEAD:./secrets/key',
    'git show HEAD:secrets',
    'git show HEAD:',
    'git show HEAD@{1}:secrets/key',
    'git cat-file -p HEAD:secrets/key',
    'git cat-file blob HEAD:secrets/key',
    'git cat-file --textconv HEAD:secrets/key',
    'git cat-file -p 0123abcd',
    'git cat-file --batch',
    'git show HEAD -- secrets/key',
    'git show HEAD -- secrets',
    "git show HEAD -- 'secrets/*'",
    "git show HEAD -- '*key'",
    'git show HEAD -- :/secrets/key',
    "git show HEAD -- ':(top)secrets'",
    "git show HEAD -- ':!src'",
    'git show HEAD',
    'git show',
    'git show --oneline HEAD',
    'git show HEAD secrets/key',
    'git log -p',
    'git log --patch -- secrets/key',
    'git log -p secrets',
    'git log -p --follow -- secrets/key',
    'git log -U3',
    'git log --cc',
    'git log -L 1,5:secrets/key',
    'git log -L1,5:secrets/key',
    'git log --stat -- secrets/key',
    'git diff HEAD',
    'git diff HEAD~1 HEAD',
    'git diff main...HEAD',
    'git diff --cached',
    'git diff --staged',
    'git diff -- secrets/key',
    'git diff secrets/key',
    'git diff HEAD:secrets/key HEAD:README.md',
    'git diff --stat -- secrets',
    'git diff --no-index secrets/key README.md',
    'git grep password',
    'git grep -e password',
    'git grep password HEAD',
    'git grep password -- secrets',
    'git grep password HEAD:secrets',
    'git grep -f secrets/key src',
    'git blame secrets/key',
    'git blame HEAD -- secrets/key',
    'git annotate secrets/key',
    'git blame --contents secrets/key src/index.ts',
    'git archive HEAD',
    'git archive HEAD secrets',
    'git archive -o out.tar HEAD:secrets',
    'git archive --add-file=secrets/key HEAD src',
    'git format-patch -1',
    'git format-patch -o patches HEAD~1',
    'git stash show -p',
    'git stash show --patch stash@{0}',
    'git stash list -p',
    'git checkout HEAD -- secrets/key',
    'git checkout -- secrets/key',
    'git checkout HEAD~1 secrets/key',
    'git checkout secrets/key',
    'git restore --source HEAD~1 secrets/key',
    'git restore -s HEAD secrets',
    'git restore secrets/key',
    'git whatchanged -p',
    'git diff-tree -p HEAD',
    'git fast-export --all',
    'git bundle create x.bundle --all',
    'git -C sub show HEAD:secrets/key',
    'git show $REV',
    'git show HEAD:$F',
    'git show "HEAD:$F"',
    'git log -p -- $P',
    'git diff $X',
    'git log -$X',
    'git log "$OPTS"',
    'git show --stat $X',
    'git log --pretty=$F -p',
  ])('%s', async (line) => {
    expect(await verdict(line)).not.toBe('allow');
  });

  test('REV:./PATH and pathspecs are relative to the working directory, REV:PATH to the root', async () => {
    expect(await verdict('git show HEAD:secrets/key', subCtx)).not.toBe('allow');
    expect(await verdict('git show HEAD:../secrets/key', subCtx)).not.toBe('allow');
    expect(await verdict('git show HEAD:./deep/x.txt', subCtx)).toBe('allow');
    expect(await verdict('git show HEAD -- ../secrets', subCtx)).not.toBe('allow');
    expect(await verdict('git show HEAD -- deep', subCtx)).toBe('allow');
    expect(await verdict('git grep password -- deep', subCtx)).toBe('allow');
  });

  test('outside any repository the root is unknown: contents reads are refused', async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aex-no-repo-')));
    const c = { ...ctx, cwd: outside, root: outside };
    const actions = await describeShell('git show HEAD:README.md', c);
    const read = actions.find((a) => a.cap === 'file.read');
    expect(read?.reach?.[0]?.unresolved?.why).toBe('unknown repository');
  });
});

describe('forms that print names, not contents, stay allowed', () => {
  test.each([
    'git status',
    'git status --short',
    'git log --oneline -5',
    'git log --oneline -n 20',
    "git log --format='%H %an' -n 5",
    "git log --grep='secrets/key'",
    'git log --author secrets',
    'git log --stat',
    'git log --name-only',
    'git log -- src',
    'git log -p -- src/index.ts',
    'git log -p src',
    'git log -L 1,5:src/index.ts',
    'git diff --stat',
    'git diff --stat HEAD~3',
    'git diff --name-only HEAD',
    'git diff --name-status main...HEAD',
    'git diff --shortstat',
    'git diff --numstat HEAD',
    'git diff -- src/index.ts',
    'git diff HEAD -- src',
    'git diff src/index.ts',
    'git show HEAD --stat',
    'git show --stat',
    'git show -s HEAD',
    'git show --no-patch --format=%B HEAD',
    'git show --name-only HEAD',
    'git show HEAD:src/index.ts',
    'git show HEAD -- src',
    'git show HEAD:README.md',
    'git cat-file -t HEAD',
    'git cat-file -s HEAD:secrets/key',
    'git cat-file -e HEAD:secrets/key',
    'git cat-file -p HEAD:src/index.ts',
    'git grep TODO -- src',
    'git grep -n TODO src',
    'git grep -e TODO -- src sub',
    'git blame src/index.ts',
    'git blame -L 1,3 src/index.ts',
    'git archive HEAD src',
    'git archive HEAD:src',
    'git checkout main',
    'git checkout -b topic',
    'git checkout HEAD -- src/index.ts',
    'git restore src/index.ts',
    'git stash show',
    'git stash list',
    'git ls-files',
    'git log --format="$V"',
    'git log --author="$ME" --oneline',
  ])('%s', async (line) => {
    expect(await verdict(line)).toBe('allow');
  });
});

describe('git diff against the index prints only tracked files', () => {
  test('no index in a repository without commits: nothing can be printed', async () => {
    const fresh = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aex-fresh-')));
    fs.mkdirSync(path.join(fresh, '.git'), { recursive: true });
    fs.writeFileSync(path.join(fresh, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const actions = await describeShell('git diff', { ...ctx, cwd: fresh, root: fresh });
    expect(actions.map((a) => a.cap)).toEqual(['shell.exec']);
  });

  test('a missing index with commits is a reach of the root', async () => {
    writeIndex(null);
    expect(await verdict('git diff')).not.toBe('allow');
  });

  test('each tracked file is read', async () => {
    writeIndex(['README.md', 'src/index.ts']);
    expect(await verdict('git diff')).toBe('allow');
    expect(await verdict('git diff -w')).toBe('allow');
    writeIndex(['README.md', 'secrets/key', 'src/index.ts']);
    expect(await verdict('git diff')).not.toBe('allow');
    expect(await verdict('git diff --stat')).toBe('allow');
    writeIndex(['README.md', 'src/index.ts']);
    // An earlier command of the same line may add the secret to the index first.
    expect(await verdict('git add -N secrets/key; git diff')).not.toBe('allow');
    expect(await verdict('cp x .git/index && git diff')).not.toBe('allow');
    expect(await verdict('$X; git diff')).not.toBe('allow');
    expect(await verdict('git status && git log --oneline -3 && git diff')).toBe('allow');
    fs.writeFileSync(path.join(repo, '.git', 'index'), Buffer.from('DIRC\0\0\0\x09garbage'));
    expect(await verdict('git diff')).not.toBe('allow');
    writeIndex(null);
  });

  test('index versions 2, 3 and 4 are parsed; anything odd is null', () => {
    const names = ['README.md', 'secrets/key', 'src/index.ts', 'src/util.ts'];
    expect(parseIndex(indexOf(names, 2))).toEqual(names);
    expect(parseIndex(indexOf(names, 3))).toEqual(names);
    expect(parseIndex(indexOf(names, 4))).toEqual(names);
    expect(parseIndex(indexOf(['../escape']))).toBeNull();
    expect(parseIndex(indexOf(['.git/config']))).toBeNull();
    expect(parseIndex(Buffer.from('XXXX'))).toBeNull();
    expect(parseIndex(indexOf(names).subarray(0, 80))).toBeNull();
  });
});
