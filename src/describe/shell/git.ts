// git (docs/shell.md): remote operations connect to the host of a literal URL or of a
// named remote as the repository's config gives it now; options that change git's
// configuration or program make the git action unresolved ("git config"); subcommands
// that run commands (rebase --exec, bisect run, submodule foreach) add those commands;
// a subcommand git does not ship may be an alias that runs anything.

import fs from 'node:fs';
import path from 'node:path';
import type { Action } from '../types.js';
import type { WalkState } from './state.js';
import { scoped } from './state.js';
import type { ShellWord } from './words.js';
import type { EffectContext } from './state.js';
import { applyEffect } from './effects.js';
import { pathFor, type Bases } from './bases.js';
import { normaliseHost } from '../../rules/host-pattern.js';
import { configValue, remoteNames, repositoryConfig, rewriteUrl, type GitConfig } from './git-config.js';
import { hiddenCommand } from './sink.js';
import { gitArchive, gitBlame, gitRepositoryRead, gitCatFile, gitGrep, gitHistoryReads, gitRestorePaths } from './git-reads.js';

const GLOBAL_VALUED = new Set(['-C', '--namespace', '--super-prefix', '--list-cmds', '--attr-source']);
const GLOBAL_FLAGS = new Set([
  '-p', '-P', '--paginate', '--no-pager', '--bare', '--no-replace-objects', '--literal-pathspecs', '--glob-pathspecs',
  '--noglob-pathspecs', '--icase-pathspecs', '--no-optional-locks', '--no-advice', '--version', '--help', '--html-path',
  '--man-path', '--info-path', '--no-lazy-fetch',
]);
/** Global options that change configuration, the repository or git's programs. */
const GLOBAL_CONFIG = new Set(['-c', '--config-env', '--exec-path', '--git-dir', '--work-tree']);

const SUBCOMMANDS = new Set(
  ('add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap check-ref-format ' +
    'checkout checkout-index cherry cherry-pick citool clean clone column commit commit-graph commit-tree config count-objects ' +
    'credential describe diff diff-files diff-index diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch ' +
    'for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep hash-object help index-pack init instaweb ' +
    'interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit maintenance merge merge-base merge-file merge-tree ' +
    'mergetool mktag mktree multi-pack-index mv name-rev notes pack-objects pack-refs prune prune-packed pull push range-diff ' +
    'read-tree rebase reflog remote repack replace request-pull rerere reset restore rev-list rev-parse revert rm ' +
    'send-email shortlog show show-branch show-index show-ref sparse-checkout stash status stripspace submodule switch ' +
    'symbolic-ref tag unpack-file unpack-objects update-index update-ref var verify-commit verify-pack verify-tag ' +
    'version whatchanged worktree write-tree').split(' '),
);

/** Options of the remote subcommands that take a value; `dynamic` ones run a program. */
const REMOTE_VALUED = new Set([
  '--depth', '--deepen', '--shallow-since', '--shallow-exclude', '-j', '--jobs', '--refmap', '-o', '--server-option',
  '--push-option', '--negotiation-tip', '--filter', '--repo', '-s', '--strategy', '-X', '--strategy-option', '--sort',
  '-b', '--branch', '--origin', '--reference', '--reference-if-able', '--separate-git-dir', '--bundle-uri', '--recurse-submodules',
]);
const REMOTE_DYNAMIC = new Set(['--upload-pack', '-u', '--receive-pack', '--exec']);
const REMOTE_CONFIG = new Set(['-c', '--config', '--template']);

export function describeGit(words: readonly ShellWord[], state: WalkState, ec: EffectContext): void {
  const gitAction = state.sink.actions[state.sink.actions.length - 1];
  const markConfig = () => {
    if (!gitAction) return;
    gitAction.unresolved = [...(gitAction.unresolved ?? []), { what: 'command', why: 'git config' }];
  };
  let bases: Bases = state.bases;
  let i = 1;
  for (; i < words.length; i++) {
    const word = words[i]!;
    const text = word.literal;
    if (text === undefined) {
      markConfig();
      ec.dynamic('dynamic command');
      return;
    }
    if (!text.startsWith('-')) break;
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (GLOBAL_CONFIG.has(name)) {
      markConfig();
      if (!text.includes('=') && name !== '--exec-path') i++;
      continue;
    }
    if (GLOBAL_VALUED.has(name)) {
      const value = text.includes('=') ? text.slice(text.indexOf('=') + 1) : words[++i]?.literal;
      if (name === '-C') bases = value === undefined ? null : cdAll(bases, value, state);
      continue;
    }
    if (!GLOBAL_FLAGS.has(name)) markConfig();
  }
  const sub = words[i]?.literal;
  if (sub === undefined) {
    if (i < words.length) ec.dynamic('dynamic command');
    return;
  }
  if (!SUBCOMMANDS.has(sub)) {
    // An alias (`!cmd` aliases run shell commands) or a git-SUB program on PATH.
    ec.effects.add(hiddenCommand(sub, 'dynamic command: git alias'));
    return;
  }
  const args = words.slice(i + 1);
  const gc: GitContext = { state, ec, bases, args };
  switch (sub) {
    case 'clone':
    case 'fetch':
    case 'pull':
    case 'push':
    case 'ls-remote':
      return remoteOperation(sub, gc, markConfig);
    case 'remote':
      return remoteSubcommand(gc);
    case 'submodule':
      return submodule(gc);
    case 'config':
      return config(gc, markConfig);
    case 'diff':
    case 'log':
    case 'show':
    case 'format-patch':
      gitHistoryReads(sub, { ...gc, earlier: state.sink.actions });
      return outputs(sub, gc);
    case 'whatchanged':
    case 'diff-tree':
    case 'diff-index':
    case 'diff-files':
      return gitHistoryReads(sub, gc);
    case 'stash':
      // `stash show -p` and `stash list -p` print the stashed changes.
      if (args[0]?.literal === 'show' || args[0]?.literal === 'list') gitHistoryReads('stash show', { ...gc, args: args.slice(1) });
      return;
    case 'cat-file':
      return gitCatFile(gc);
    case 'grep':
      return gitGrep(gc);
    case 'blame':
    case 'annotate':
      return gitBlame(gc);
    case 'checkout':
    case 'restore':
      return gitRestorePaths(sub, gc);
    case 'fast-export':
    case 'bundle':
    case 'unpack-file':
      // Every tracked file's contents go to the output or a file.
      return gitRepositoryRead(gc);
    case 'rebase':
      return rebase(gc);
    case 'bisect':
      if (args[0]?.literal === 'run' && args.length > 1) state.recurse.words(args.slice(1), scoped(state), { environment: [], redirects: [] });
      return;
    case 'filter-branch':
    case 'send-email':
    case 'instaweb':
    case 'mergetool':
    case 'difftool':
    case 'archive':
    case 'request-pull':
    case 'fetch-pack':
      if (sub === 'archive' && !args.some((w) => w.literal?.startsWith('--remote') || w.literal === undefined)) return gitArchive(gc);
      if (sub === 'archive') gitArchive(gc);
      ec.dynamic('dynamic command');
      return;
  }
}

interface GitContext {
  state: WalkState;
  ec: EffectContext;
  bases: Bases;
  args: readonly ShellWord[];
}

function cdAll(bases: Bases, dir: string, state: WalkState): Bases {
  // `git -C dir` runs git in dir (or fails): every base moves, none stays.
  const expanded = dir === '~' || dir.startsWith('~/') ? state.ctx.home + dir.slice(1) : dir;
  if (path.isAbsolute(expanded)) return [path.normalize(expanded)];
  if (bases === null || dir.startsWith('~')) return null;
  return [...new Set(bases.map((b) => path.resolve(b, expanded)))];
}

/** Options and operands of a remote subcommand. */
function splitRemoteArgs(gc: GitContext, markConfig: () => void): { operands: ShellWord[]; flags: Set<string> } {
  const operands: ShellWord[] = [];
  const flags = new Set<string>();
  let ended = false;
  for (let i = 0; i < gc.args.length; i++) {
    const word = gc.args[i]!;
    const text = word.literal;
    if (ended || text === undefined || !text.startsWith('-') || text === '-') {
      operands.push(word);
      continue;
    }
    if (text === '--') {
      ended = true;
      continue;
    }
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (REMOTE_DYNAMIC.has(name)) {
      gc.ec.dynamic('dynamic command');
      if (!text.includes('=')) i++;
      continue;
    }
    if (REMOTE_CONFIG.has(name)) {
      markConfig();
      if (!text.includes('=')) i++;
      continue;
    }
    if (REMOTE_VALUED.has(name) && !text.includes('=') && name !== '--recurse-submodules') i++;
    flags.add(name);
  }
  return { operands, flags };
}

function remoteOperation(sub: string, gc: GitContext, markConfig: () => void): void {
  const { operands, flags } = splitRemoteArgs(gc, markConfig);
  const push = sub === 'push';
  if (sub === 'clone') {
    const url = operands[0];
    if (!url) return;
    repositoryTarget(url, false, gc);
    const dir = operands[1]?.literal ?? (url.literal ? cloneDirectory(url.literal) : undefined);
    if (dir === undefined) gc.ec.effects.write({ given: operands[1]?.text ?? url.text, forms: [], unresolved: { what: 'path', why: 'dynamic path' } }, true);
    else gc.ec.effects.write(pathFor(dir, gc.bases, gc.ec.ctx), true);
    return;
  }
  if (flags.has('--all') && sub === 'fetch') {
    const config = configAt(gc.bases);
    if (!config) return unresolvedHost(gc, 'unreadable git config');
    for (const name of remoteNames(config)) remoteByName(name, config, false, gc);
    return;
  }
  const targets = flags.has('--multiple') ? operands : operands.slice(0, 1);
  if (targets.length === 0) {
    const config = configAt(gc.bases);
    if (!config) return unresolvedHost(gc, 'unreadable git config');
    const name = defaultRemote(config, push);
    return remoteByName(name, config, push, gc);
  }
  for (const target of targets) repositoryTarget(target, push, gc);
}

/** A repository argument: a configured remote's name, a URL, or a local path. */
function repositoryTarget(word: ShellWord, push: boolean, gc: GitContext): void {
  if (word.literal === undefined) return unresolvedHost(gc, 'dynamic host');
  const text = word.literal;
  if (!looksLikeUrl(text)) {
    const config = configAt(gc.bases);
    if (config && configValue(config, `remote.${text}.url`) !== undefined) return remoteByName(text, config, push, gc);
    if (!config && /^[A-Za-z0-9._-]+$/.test(text)) return unresolvedHost(gc, 'unreadable git config');
  }
  const config = configAt(gc.bases);
  urlTarget(config ? rewriteUrl(config, text, push) : text, push, gc);
}

function remoteByName(name: string, config: GitConfig, push: boolean, gc: GitContext): void {
  const url = (push ? configValue(config, `remote.${name}.pushurl`) : undefined) ?? configValue(config, `remote.${name}.url`);
  if (url === undefined) return unresolvedHost(gc, 'unknown remote');
  urlTarget(rewriteUrl(config, url, push), push, gc);
}

function defaultRemote(config: GitConfig, push: boolean): string {
  const branch = currentBranch(config);
  if (push) {
    const pushRemote = (branch ? configValue(config, `branch.${branch}.pushremote`) : undefined) ?? configValue(config, 'remote.pushdefault');
    if (pushRemote) return pushRemote;
  }
  return (branch ? configValue(config, `branch.${branch}.remote`) : undefined) ?? 'origin';
}

/** The current branch is not in the config; git's default remote is origin unless a branch says otherwise. */
function currentBranch(config: GitConfig): string | undefined {
  const branches = [...config.values.keys()].filter((k) => k.startsWith('branch.') && k.endsWith('.remote'));
  const remotes = new Set(branches.map((k) => configValue(config, k)));
  // With several branches naming different remotes, any of them may be current.
  if (remotes.size > 1) return undefined;
  return branches[0]?.slice('branch.'.length, -'.remote'.length);
}

function looksLikeUrl(text: string): boolean {
  if (text.includes('://') || text.includes('::')) return true;
  const colon = text.indexOf(':');
  return colon > 0 && !text.slice(0, colon).includes('/');
}

/** The host a git URL connects to, a local path for file URLs and paths, unresolved for helpers. */
function urlTarget(url: string, push: boolean, gc: GitContext): void {
  const { ec } = gc;
  const helper = url.indexOf('::');
  if (helper >= 0 && !url.slice(0, helper).includes('/')) {
    if (url.startsWith('ext::')) ec.dynamic('dynamic command');
    return unresolvedHost(gc, 'git remote helper');
  }
  if (url.includes('://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return unresolvedHost(gc, 'invalid url');
    }
    if (parsed.protocol === 'file:') return localRepository(decodeURIComponent(parsed.pathname), push, gc);
    const host = normaliseHost(parsed.hostname.replace(/^\[|\]$/g, ''));
    return host === null ? unresolvedHost(gc, 'invalid host') : addHost(gc, host);
  }
  const colon = url.indexOf(':');
  if (colon > 0 && !url.slice(0, colon).includes('/')) {
    const host = normaliseHost(url.slice(url.lastIndexOf('@', colon) + 1, colon).replace(/^\[|\]$/g, ''));
    return host === null ? unresolvedHost(gc, 'invalid host') : addHost(gc, host);
  }
  localRepository(url, push, gc);
}

function localRepository(dir: string, push: boolean, gc: GitContext): void {
  const attr = pathFor(dir, gc.bases, gc.ec.ctx);
  if (push) gc.ec.effects.write(attr, true);
  else gc.ec.effects.read(attr, true);
}

function addHost(gc: GitContext, host: string): void {
  gc.ec.effects.add({ cap: 'network.connect', host });
}

function unresolvedHost(gc: GitContext, why: string): void {
  gc.ec.effects.add({ cap: 'network.connect', unresolved: [{ what: 'host', why }] } satisfies Action);
}

function configAt(bases: Bases): GitConfig | undefined {
  if (bases === null || bases.length !== 1) return undefined;
  return repositoryConfig(bases[0]!);
}

function cloneDirectory(url: string): string | undefined {
  const trimmed = url.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/\.git$/, '');
  const name = trimmed.split(/[/:]/).pop();
  return name ? name : undefined;
}

function remoteSubcommand(gc: GitContext): void {
  const action = gc.args[0]?.literal;
  if (action === 'update') {
    const config = configAt(gc.bases);
    if (!config) return unresolvedHost(gc, 'unreadable git config');
    for (const name of remoteNames(config)) remoteByName(name, config, false, gc);
    return;
  }
  if (action === 'show' || action === 'prune' || action === 'set-head') {
    const names = gc.args.slice(1).filter((w) => !w.literal?.startsWith('-'));
    const config = configAt(gc.bases);
    for (const name of names) {
      if (!config || name.literal === undefined) unresolvedHost(gc, 'unreadable git config');
      else remoteByName(name.literal, config, false, gc);
    }
  }
  // add / set-url / rename / remove write .git/config.
  if (action && ['add', 'set-url', 'rename', 'remove', 'rm', 'set-branches'].includes(action)) configFileWrite(gc, []);
}

function submodule(gc: GitContext): void {
  const action = gc.args.find((w) => !w.literal?.startsWith('-'));
  if (action?.literal === 'foreach') {
    const rest = gc.args.slice(gc.args.indexOf(action) + 1).filter((w) => w.literal !== '--recursive' && w.literal !== '-q' && w.literal !== '--quiet');
    if (rest.some((w) => w.literal === undefined)) return gc.ec.dynamic('dynamic command');
    gc.state.recurse.nested(rest.map((w) => w.literal).join(' '), scoped(gc.state));
    return;
  }
  if (action?.literal === 'add') {
    const url = gc.args.slice(gc.args.indexOf(action) + 1).find((w) => !w.literal?.startsWith('-'));
    if (url) repositoryTarget(url, false, gc);
    return;
  }
  // update, init, sync, …: the URLs come from .gitmodules.
  unresolvedHost(gc, 'submodule');
}

const CONFIG_WRITES = new Set(['--add', '--replace-all', '--unset', '--unset-all', '--rename-section', '--remove-section', '-e', '--edit']);
const CONFIG_READS = new Set(['--get', '--get-all', '--get-regexp', '--get-urlmatch', '--get-color', '--get-colorbool', '-l', '--list']);
const CONFIG_VALUED = new Set(['-f', '--file', '--blob', '--type', '--default', '--comment', '--value']);
const CONFIG_VERBS = new Set(['get', 'set', 'unset', 'list', 'rename-section', 'remove-section', 'edit', 'get-color', 'get-colorbool']);

/** Keys whose values git runs or that redirect where git connects or what it trusts. */
function runsOrRedirects(key: string): boolean {
  const k = key.toLowerCase();
  const prefixes = ['core.', 'alias.', 'include.', 'includeif.', 'url.', 'remote.', 'filter.', 'credential.', 'gpg.', 'sequence.', 'pager.', 'uploadpack.', 'uploadarchive.', 'receive.', 'diff.', 'merge.', 'difftool.', 'mergetool.', 'submodule.', 'protocol.', 'safe.', 'http.', 'ssh.', 'interactive.', 'instaweb.', 'sendemail.', 'web.', 'man.', 'browser.', 'gc.', 'maintenance.', 'trailer.', 'hook.'];
  const suffixes = ['.command', '.cmd', '.helper', '.program', '.sshcommand', '.textconv', '.hookspath', '.editor', '.pager', '.tool', '.path', '.driver', '.process', '.clean', '.smudge'];
  return prefixes.some((p) => k.startsWith(p)) || suffixes.some((s) => k.endsWith(s));
}

function config(gc: GitContext, markConfig: () => void): void {
  const operands: ShellWord[] = [];
  let write = false;
  let read = false;
  let file: ShellWord | undefined;
  let scope: 'local' | 'global' | 'system' = 'local';
  for (let i = 0; i < gc.args.length; i++) {
    const word = gc.args[i]!;
    const text = word.literal;
    if (text === undefined) {
      markConfig();
      operands.push(word);
      continue;
    }
    if (!text.startsWith('-')) {
      operands.push(word);
      continue;
    }
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (CONFIG_WRITES.has(name)) write = true;
    if (CONFIG_READS.has(name)) read = true;
    if (name === '--global') scope = 'global';
    if (name === '--system') scope = 'system';
    if ((name === '-f' || name === '--file') && !text.includes('=')) file = gc.args[i + 1];
    if (CONFIG_VALUED.has(name) && !text.includes('=')) i++;
  }
  const verb = operands[0]?.literal;
  let key: ShellWord | undefined;
  if (verb !== undefined && CONFIG_VERBS.has(verb)) {
    if (verb !== 'get' && verb !== 'list' && verb !== 'get-color' && verb !== 'get-colorbool') write = true;
    key = operands[1];
  } else {
    key = operands[0];
    if (!read && operands.length >= 2) write = true;
  }
  if (!write) return;
  if (key === undefined || key.literal === undefined || runsOrRedirects(key.literal) || verb === 'edit' || gc.args.some((w) => w.literal === '-e' || w.literal === '--edit' || w.literal?.startsWith('--rename') || w.literal?.startsWith('--remove'))) {
    markConfig();
  }
  configFileWrite(gc, [], file, scope);
}

/** The file a config write changes: .git/config (protected), ~/.gitconfig, /etc/gitconfig or --file. */
function configFileWrite(gc: GitContext, _unused: unknown[], file?: ShellWord, scope: 'local' | 'global' | 'system' = 'local'): void {
  if (file) return applyEffect('write', file, false, gc.ec);
  if (scope === 'global') return gc.ec.effects.write(pathFor('~/.gitconfig', gc.bases, gc.ec.ctx));
  if (scope === 'system') return gc.ec.effects.write(pathFor('/etc/gitconfig', gc.bases, gc.ec.ctx));
  if (gc.bases === null) return gc.ec.effects.write({ given: '.git/config', forms: [], unresolved: { what: 'path', why: 'unknown base' } });
  for (const base of gc.bases) gc.ec.effects.write(pathFor(path.join(gitDirOf(base), 'config'), [base], gc.ec.ctx));
}

function gitDirOf(dir: string): string {
  let current = dir;
  for (let i = 0; i < 64; i++) {
    if (fs.existsSync(path.join(current, '.git'))) return path.join(current, '.git');
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return path.join(dir, '.git');
}

function outputs(sub: string, gc: GitContext): void {
  const args = gc.args;
  for (let i = 0; i < args.length; i++) {
    const text = args[i]!.literal;
    if (text === undefined) continue;
    if (text.startsWith('--output=')) gc.ec.effects.write(pathFor(text.slice(9), gc.bases, gc.ec.ctx));
    else if (text === '--output' && args[i + 1]) applyEffect('write', args[++i]!, false, gc.ec);
    else if (sub === 'format-patch' && (text === '-o' || text === '--output-directory') && args[i + 1]) applyEffect('write', args[++i]!, true, gc.ec);
    else if (sub === 'format-patch' && text.startsWith('--output-directory=')) gc.ec.effects.write(pathFor(text.slice(19), gc.bases, gc.ec.ctx), true);
    else if (sub === 'format-patch' && text.startsWith('-o') && text.length > 2) gc.ec.effects.write(pathFor(text.slice(2), gc.bases, gc.ec.ctx), true);
  }
  if (sub === 'format-patch' && !args.some((w) => w.literal?.startsWith('-o') || w.literal?.startsWith('--output-directory') || w.literal === '--stdout')) {
    gc.ec.effects.write(pathFor('.', gc.bases, gc.ec.ctx), true);
  }
  if (sub === 'diff' && args.some((w) => w.literal === '--no-index')) {
    const operands = args.filter((w) => w.literal === undefined || !w.literal.startsWith('-'));
    for (const operand of operands) applyEffect('read', operand, true, gc.ec);
  }
  if (args.some((w) => w.literal?.startsWith('--ext-diff') || w.literal?.startsWith('--textconv'))) gc.ec.dynamic('dynamic command');
}

function rebase(gc: GitContext): void {
  const args = gc.args;
  for (let i = 0; i < args.length; i++) {
    const text = args[i]!.literal;
    if (text === '-x' || text === '--exec') {
      const command = args[++i];
      if (!command || command.literal === undefined) gc.ec.dynamic('dynamic command');
      else gc.state.recurse.nested(command.literal, scoped(gc.state));
    } else if (text?.startsWith('--exec=')) {
      gc.state.recurse.nested(text.slice(7), scoped(gc.state));
    } else if (text?.startsWith('-x') && text.length > 2) {
      gc.state.recurse.nested(text.slice(2), scoped(gc.state));
    } else if (text === '-i' || text === '--interactive' || text === undefined) {
      gc.ec.dynamic('dynamic command');
    }
  }
}
