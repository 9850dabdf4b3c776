// git subcommands that print or copy file contents are file.read actions (docs/shell.md), so
// a `deny file.read:` rule cannot be walked past through git's object store: `git show
// HEAD:secrets/key` reads secrets/key as surely as `cat` does. Paths in `REV:PATH` are
// relative to the repository root (found by looking for `.git` upward, git is never run);
// pathspecs are relative to the working directory. Where git may print the contents of any
// changed file (`git log -p`, `git show COMMIT`, `git diff REV`) the read is a reach of the
// repository root. Forms that print only names and counts add nothing.

import fs from 'node:fs';
import path from 'node:path';
import type { Action, ActionPath } from '../types.js';
import { unresolvedPath } from '../paths.js';
import type { EffectContext } from './state.js';
import { applyEffect } from './effects.js';
import { pathFor, wordPath, type Bases } from './bases.js';
import type { ShellWord } from './words.js';
import { trackedPaths } from './git-index.js';

export interface GitReadContext {
  ec: EffectContext;
  bases: Bases;
  args: readonly ShellWord[];
  /** The actions of the line before this git command (its own shell.exec last). */
  earlier?: readonly Action[];
}

/** Options of the diff and log family that take their value as the next word. */
const VALUED = new Set([
  '-n', '--max-count', '--skip', '--since', '--after', '--until', '--before', '--author', '--committer', '--grep',
  '--grep-reflog', '-S', '-G', '-O', '-L', '--encoding', '--decorate-refs', '--decorate-refs-exclude', '--exclude',
  '--diff-filter', '--src-prefix', '--dst-prefix', '--line-prefix', '--word-diff-regex', '-I', '--ignore-matching-lines',
  '--inter-hunk-context', '--color-moved-ws', '--diff-algorithm', '--skip-to', '--rotate-to', '--default', '--unified',
  '--output-indicator-new', '--output-indicator-old', '--output-indicator-context', '--format', '--pretty', '--date',
  '--min-parents', '--max-parents', '--glob', '--stat-width', '--stat-name-width', '--stat-count', '--ws-error-highlight',
  '--find-object', '--ignore-submodules', '--submodule', '--notes', '--show-notes', '--relative', '--abbrev',
]);
/** Options whose value may be attached only; the next word is never theirs. */
const OPTIONAL_ATTACHED = new Set(['--format', '--pretty', '--relative', '--abbrev', '--notes', '--show-notes', '--submodule', '--ignore-submodules', '--date']);

/** Flags known to take no value (an unknown flag might take the next word). */
const FLAGS = new Set(
  ('-p -u --patch -s --no-patch --stat --numstat --shortstat --name-only --name-status --summary --dirstat --raw ' +
    '--compact-summary --oneline --reverse --all --cached --staged --color --no-color -w -b --ignore-all-space ' +
    '--ignore-space-change --ignore-blank-lines --follow --graph --decorate --no-decorate --no-merges --merges ' +
    '--first-parent -M -C --full-diff -q --quiet --exit-code --check --binary --no-renames --minimal --patience ' +
    '--histogram -R --text -a --full-index --no-ext-diff --no-textconv --word-diff --color-words -z --source ' +
    '--abbrev-commit --no-abbrev-commit --topo-order --date-order --author-date-order --cc -c -m --remerge-diff ' +
    '--diff-merges --ita-invisible-in-index --no-relative -W --function-context --merge-base --patch-with-stat ' +
    '--patch-with-raw --branches --tags --remotes --left-right --cherry-pick --boundary --no-walk --walk-reflogs -g ' +
    '--show-signature --log-size --mailmap --use-mailmap --regexp-ignore-case -i --invert-grep --all-match -E -F -P ' +
    '--basic-regexp --extended-regexp --fixed-strings --perl-regexp --no-prefix --no-index --simplify-by-decoration ' +
    '--full-history --dense --sparse --ancestry-path --children --parents --no-color-moved --color-moved --shortstat ' +
    '--no-stat --ignore-cr-at-eol --ignore-space-at-eol --anchored --irreversible-delete -D --find-renames --find-copies ' +
    '--find-copies-harder --pickaxe-all --pickaxe-regex --no-notes --expand-tabs --no-expand-tabs --show-linear-break ' +
    '--indent-heuristic --no-indent-heuristic --relative-date --count --until --single-worktree --stdin --ignored').split(' '),
);

/** An option word AEX cannot read: it may be any option, `-p` among them. */
const UNKNOWN_OPTION = '\0unknown option';

/** Flags that make diff/log/show print contents. */
function printsContents(flag: string): boolean {
  return (
    flag === UNKNOWN_OPTION ||
    ['-p', '-u', '--patch', '--patch-with-stat', '--patch-with-raw', '--cc', '-c', '-m', '--remerge-diff', '--check', '-W', '--function-context', '--color-words', '--textconv'].includes(flag) ||
    flag.startsWith('--word-diff') || flag.startsWith('--unified') || flag.startsWith('--diff-merges') || flag.startsWith('--color-words') ||
    /^-U\d*$/.test(flag) || flag.startsWith('-L') || flag.startsWith('-W')
  );
}
/** Flags after which diff/show print names and counts rather than contents. */
const NAMES_ONLY = new Set(['--stat', '--numstat', '--shortstat', '--name-only', '--name-status', '--summary', '--dirstat', '--raw', '--compact-summary', '-s', '--no-patch', '-q', '--quiet']);

interface Split {
  /** Flags as given (name part only). */
  flags: string[];
  /** Values of valued options by name. */
  values: Map<string, string[]>;
  /** Operands before `--`. */
  before: ShellWord[];
  /** Operands after `--`. */
  after: ShellWord[];
  dashdash: boolean;
  /** An unknown option that may have taken the next word as its value. */
  doubtful: boolean;
  /** A word AEX cannot read stood where an option may be. */
  unknown: ShellWord[];
}

function split(args: readonly ShellWord[], valued: ReadonlySet<string>, flags: ReadonlySet<string>): Split {
  const s: Split = { flags: [], values: new Map(), before: [], after: [], dashdash: false, doubtful: false, unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const text = word.literal;
    if (s.dashdash) {
      s.after.push(word);
      continue;
    }
    if (text === undefined) {
      const prefix = word.literalPrefix;
      if (prefix.startsWith('-') && prefix !== '-' && !s.dashdash) {
        // An option with a value AEX cannot read (`--format=$(id)`): its name decides.
        const eq = prefix.indexOf('=');
        const name = prefix.startsWith('--') && eq > 0 ? prefix.slice(0, eq) : undefined;
        if (name !== undefined && (valued.has(name) || flags.has(name))) s.flags.push(name);
        else {
          s.flags.push(UNKNOWN_OPTION);
          s.doubtful = true;
        }
        continue;
      }
      s.unknown.push(word);
      s.before.push(word);
      continue;
    }
    if (text === '--') {
      s.dashdash = true;
      continue;
    }
    if (!text.startsWith('-') || text === '-') {
      s.before.push(word);
      continue;
    }
    const eq = text.indexOf('=');
    const name = text.startsWith('--') && eq > 0 ? text.slice(0, eq) : text;
    s.flags.push(name);
    const attachedShort = !text.startsWith('--') && text.length > 2 && valued.has(text.slice(0, 2));
    if (attachedShort) {
      const short = text.slice(0, 2);
      s.flags[s.flags.length - 1] = short;
      s.values.set(short, [...(s.values.get(short) ?? []), text.slice(2)]);
      continue;
    }
    if (valued.has(name)) {
      let value: string | undefined;
      if (eq > 0 && text.startsWith('--')) value = text.slice(eq + 1);
      else if (!OPTIONAL_ATTACHED.has(name)) value = args[++i]?.literal ?? (args[i] ? '\0unknown' : undefined);
      if (value !== undefined) s.values.set(name, [...(s.values.get(name) ?? []), value]);
      continue;
    }
    if (!flags.has(name) && !/^-\d+$/.test(name) && eq < 0) s.doubtful = true;
  }
  return s;
}

/** The repository roots of the candidate working directories; null when unknown. */
function repositoryRoots(bases: Bases): string[] | null {
  if (bases === null) return null;
  const roots: string[] = [];
  for (const base of bases) {
    const root = repositoryRootOf(base);
    if (root === undefined) return null;
    roots.push(root);
  }
  return [...new Set(roots)];
}

function repositoryRootOf(dir: string): string | undefined {
  let current = dir;
  for (let i = 0; i < 256; i++) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

function rootPath(gc: GitReadContext, inside = ''): ActionPath {
  const roots = repositoryRoots(gc.bases);
  if (roots === null) return unresolvedPath(inside === '' ? '(repository root)' : inside, 'unknown repository');
  const forms = roots.map((r) => pathFor(inside === '' ? r : path.join(r, inside), null, gc.ec.ctx));
  const bad = forms.find((f) => f.unresolved);
  if (bad) return bad;
  return { given: inside === '' ? '(repository root)' : inside, forms: [...new Set(forms.flatMap((f) => f.forms))] };
}

/** A read of every file of the repository (fast-export, bundle, unpack-file). */
export function gitRepositoryRead(gc: GitReadContext): void {
  readRoot(gc);
}

function readRoot(gc: GitReadContext): void {
  gc.ec.effects.read(rootPath(gc), true);
}

const GLOB = /[*?[]/;

/** A pathspec (relative to cwd, with git's magic and wildcards): its reach. */
function readPathspec(word: ShellWord, gc: GitReadContext, write = false): void {
  const text = word.literal;
  const effects = gc.ec.effects;
  if (text === undefined) {
    const { attr, reach } = wordPath(word, gc.bases, gc.ec.ctx);
    effects.read(attr, reach);
    if (write) effects.write(attr, reach);
    return;
  }
  let attr: ActionPath;
  let reach = false;
  if (text.startsWith(':')) {
    // Pathspec magic: `:/x` and `:(top)x` are from the root; excludes and other magic widen to the root.
    const top = /^:(\/|\(top\))(.*)$/.exec(text);
    if (top && !GLOB.test(top[2]!)) attr = rootPath(gc, top[2]!);
    else {
      attr = rootPath(gc);
      reach = true;
    }
  } else if (GLOB.test(text)) {
    // git matches wildcards across directories: the reach is the literal directory before the first one.
    const prefix = text.slice(0, text.search(GLOB));
    attr = pathFor(prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '.', gc.bases, gc.ec.ctx);
    attr = { ...attr, given: text };
    reach = true;
  } else {
    attr = pathFor(text, gc.bases, gc.ec.ctx);
    reach = true; // a pathspec names a file or every file below a directory
  }
  effects.read(attr, reach);
  if (write) effects.write(attr, reach);
}

/**
 * An object name: `REV:PATH` and `:PATH` (PATH from the root, `./` and `../` from the cwd)
 * read PATH; `REV:` is the whole tree. Returns false when the word names no path.
 */
function readObjectPath(text: string, gc: GitReadContext): boolean {
  if (text.startsWith(':/')) return false; // a commit named by its message
  const colon = objectColon(text);
  if (colon < 0) return false;
  let inside = text.slice(colon + 1);
  if (/^:?[0-3]:/.test(text) && text.startsWith(':')) inside = text.slice(3); // :N:PATH, a stage of the index
  if (inside === '' || inside === '.' || inside === './') {
    if (inside === '' || gc.bases === null) return readRoot(gc), true;
  }
  if (inside.startsWith('./') || inside.startsWith('../') || inside === '.' || inside === '..') {
    gc.ec.effects.read(pathFor(inside, gc.bases, gc.ec.ctx), true);
  } else gc.ec.effects.read(rootPath(gc, inside), true);
  return true;
}

/** Where the revision ends in `REV:PATH`: the first colon outside `@{…}` and `^{…}`. */
function objectColon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) return i;
  }
  return -1;
}

/** Before `--`, git takes a word that exists as a file for a path, anything else for a revision. */
function isPathWord(word: ShellWord, gc: GitReadContext): boolean {
  const text = word.literal;
  if (text === undefined) return false;
  if (GLOB.test(text) || text.startsWith(':(')) return true;
  if (objectColon(text) >= 0) return false;
  const { attr } = wordPath(word, gc.bases, gc.ec.ctx);
  return !attr.unresolved && attr.forms.some((f) => fs.existsSync(f));
}

/** diff, log, show, whatchanged, diff-tree, diff-index, diff-files (and format-patch, stash show). */
export function gitHistoryReads(sub: string, gc: GitReadContext): void {
  if (sub === 'diff' && gc.args.some((w) => w.literal === '--no-index')) return; // its operands are read as files
  const s = split(gc.args, VALUED, FLAGS);
  for (const value of s.values.get('-L') ?? []) lineRange(value, gc);
  const revisions: ShellWord[] = [];
  const pathspecs: ShellWord[] = [...s.after];
  for (const word of s.before) {
    if (word.literal === undefined) {
      // May be a revision, a REV:PATH or a path: AEX cannot tell which.
      gc.ec.effects.read(unresolvedPath(word.text, 'dynamic path'));
      revisions.push(word);
    } else if (readObjectPath(word.literal, gc)) {
      continue;
    } else if (pathspecs.length > 0 || isPathWord(word, gc)) pathspecs.push(word);
    else revisions.push(word);
  }
  for (const word of pathspecs) readPathspec(word, gc);

  const contents = s.flags.some(printsContents) || s.values.has('-L');
  const namesOnly = !contents && s.flags.some((f) => NAMES_ONLY.has(f) || f.startsWith('--stat') || f.startsWith('--dirstat'));
  let printsPatch: boolean;
  if (sub === 'log' || sub === 'whatchanged' || sub === 'diff-tree' || sub === 'diff-index' || sub === 'diff-files') printsPatch = contents;
  else if (sub === 'stash show') printsPatch = contents;
  else printsPatch = !namesOnly; // diff, show and format-patch print patches unless told not to
  if (sub === 'format-patch') printsPatch = true;
  if (sub === 'show' && revisions.length === 0 && s.before.length > 0 && pathspecs.length === 0 && s.unknown.length === 0) {
    printsPatch = printsPatch && false; // only REV:PATH objects were named
  }
  if (!printsPatch) return;
  // A patch limited by pathspecs shows only those paths (read above); without any, every changed file.
  if (pathspecs.length > 0 && !s.doubtful) return;
  // `-L` limits the patch to its own file (read above).
  if (s.values.has('-L') && !s.doubtful && revisions.every((w) => w.literal !== undefined)) return;
  if (sub === 'diff' && revisions.length === 0 && !s.flags.includes('--cached') && !s.flags.includes('--staged') && !s.flags.includes('--merge-base')) {
    return worktreeDiff(gc);
  }
  readRoot(gc);
}

/** `-L START,END:FILE` and `-L :FUNC:FILE` read FILE. */
function lineRange(value: string, gc: GitReadContext): void {
  if (value === '\0unknown') return void gc.ec.effects.read(unresolvedPath('-L', 'dynamic path'));
  const colon = value.lastIndexOf(':');
  if (colon < 0) return readRoot(gc);
  gc.ec.effects.read(pathFor(value.slice(colon + 1), gc.bases, gc.ec.ctx));
}

/**
 * `git diff` compares the working tree with the index: it can print only files the index
 * tracks. Each tracked file is read; a missing index tracks nothing; an index AEX cannot
 * read makes the read a reach of the repository root.
 */
function worktreeDiff(gc: GitReadContext): void {
  const roots = repositoryRoots(gc.bases);
  if (roots === null || indexMayChange(gc.earlier ?? [])) return readRoot(gc);
  for (const root of roots) {
    const tracked = trackedPaths(root);
    if (tracked === null) {
      gc.ec.effects.read(rootPath({ ...gc, bases: [root] }), true);
      continue;
    }
    for (const file of tracked) gc.ec.effects.read(pathFor(path.join(root, file), null, gc.ec.ctx), file.endsWith('/'));
  }
}

/** Earlier commands that leave the index as it is now; anything else (`git add -N`) may change it first. */
const KEEPS_INDEX = new Set(['cd', 'pwd', 'echo', 'printf', 'true', 'false', 'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'test', 'date']);
const GIT_KEEPS_INDEX = new Set(['status', 'log', 'show', 'diff', 'grep', 'blame', 'branch', 'rev-parse', 'ls-files', 'describe']);

function indexMayChange(earlier: readonly Action[]): boolean {
  return earlier.slice(0, -1).some((a) => {
    if (a.cap !== 'shell.exec') return false;
    if (a.unresolved?.length || a.program === undefined) return true;
    if (a.program === 'git') {
      const words = (a.argv ?? []).slice(1);
      const sub = words.find((w) => typeof w !== 'string' || !w.startsWith('-'));
      return typeof sub !== 'string' || !GIT_KEEPS_INDEX.has(sub);
    }
    return !KEEPS_INDEX.has(a.program);
  });
}

const CAT_FILE_METADATA = new Set(['-t', '-s', '-e', '--batch-check']);

/** `git cat-file (-p|blob|tree|commit|tag|--textconv|--filters) OBJECT`. */
export function gitCatFile(gc: GitReadContext): void {
  const words = gc.args;
  if (words.some((w) => w.literal === undefined || /^--batch(?!-check)/.test(w.literal) || w.literal === '--batch-all-objects')) {
    // Object names from stdin or from the whole object store: any file.
    if (words.some((w) => w.literal !== '--batch-check' && w.literal !== '--batch-all-objects' && !w.literal?.startsWith('--batch-check'))) readRoot(gc);
  }
  const options = words.filter((w) => w.literal?.startsWith('-'));
  if (options.length > 0 && options.every((w) => CAT_FILE_METADATA.has(w.literal!) || w.literal!.startsWith('--batch-check'))) return;
  const operands = words.filter((w) => !w.literal?.startsWith('-'));
  const object = operands[operands.length - 1];
  if (!object) return;
  if (object.literal === undefined) return void gc.ec.effects.read(unresolvedPath(object.text, 'dynamic path'));
  // Any other object name (a commit, a tag, an object id) may be or lead to any blob.
  if (!readObjectPath(object.literal, gc)) readRoot(gc);
}

const GREP_VALUED = new Set(['-e', '-f', '-A', '-B', '-C', '-m', '--max-count', '--max-depth', '--threads', '--context', '--after-context', '--before-context', '--and', '--or', '--not']);
const GREP_FLAGS = new Set(
  ('-i -I -w -v -n -l -L -c -h -H -o -q -z -r -a -E -F -G -P -W -p --cached --untracked --no-index --no-exclude-standard ' +
    '--exclude-standard --recurse-submodules --ignore-case --word-regexp --invert-match --line-number --column ' +
    '--files-with-matches --name-only --files-without-match --count --full-name --no-color --color --break --heading ' +
    '--show-function --function-context --all-match --quiet --null --only-matching --extended-regexp --fixed-strings ' +
    '--basic-regexp --perl-regexp --text --textconv --no-textconv --recursive --no-recursive').split(' '),
);

/** `git grep PATTERN [REV…] [--] [PATHSPEC…]`: the reach of the pathspecs, or of the root. */
export function gitGrep(gc: GitReadContext): void {
  const s = split(gc.args.map((w) => (w.literal === '--and' || w.literal === '--or' || w.literal === '--not' ? { ...w, literal: '-' } : w)), GREP_VALUED, GREP_FLAGS);
  if (s.flags.some((f) => f === '-O' || f.startsWith('--open-files-in-pager'))) gc.ec.dynamic('dynamic command');
  for (const file of s.values.get('-f') ?? []) {
    if (file === '\0unknown') gc.ec.effects.read(unresolvedPath('-f', 'dynamic path'));
    else if (file !== '-') gc.ec.effects.read(pathFor(file, gc.bases, gc.ec.ctx));
  }
  const explicit = s.values.has('-e') || s.values.has('-f');
  const operands = explicit ? s.before : s.before.slice(1);
  const pathspecs: ShellWord[] = [...s.after];
  let wholeTree = s.doubtful;
  for (const word of operands) {
    if (word.literal === undefined) {
      gc.ec.effects.read(unresolvedPath(word.text, 'dynamic path'));
      wholeTree = true;
    } else if (readObjectPath(word.literal, gc)) continue;
    else if (pathspecs.length > 0 || isPathWord(word, gc)) pathspecs.push(word);
    else wholeTree = true; // a revision: its whole tree is searched
  }
  for (const word of pathspecs) readPathspec(word, gc);
  if (pathspecs.length === 0 || wholeTree) readRoot(gc);
}

/** `git blame [REV] [--] FILE`: every operand may be the file; --contents and revision files are read. */
export function gitBlame(gc: GitReadContext): void {
  const s = split(gc.args, new Set(['-L', '-S', '--contents', '--ignore-rev', '--ignore-revs-file', '--date', '--abbrev', '-C', '-M']), new Set(['-b', '-l', '-t', '-s', '-e', '-w', '-p', '-c', '-f', '-n', '-M', '-C', '--porcelain', '--line-porcelain', '--incremental', '--root', '--show-stats', '--show-name', '--show-number', '--show-email', '--reverse', '--first-parent', '--progress', '--no-progress', '--score-debug', '--color-lines', '--color-by-age']));
  for (const name of ['--contents', '--ignore-revs-file', '-S']) {
    for (const file of s.values.get(name) ?? []) gc.ec.effects.read(file === '\0unknown' ? unresolvedPath(name, 'dynamic path') : pathFor(file, gc.bases, gc.ec.ctx));
  }
  for (const word of [...s.before, ...s.after]) applyEffect('read', word, false, gc.ec);
}

/** `git archive TREE-ISH [PATH…]`: the reach of the paths, or of the tree. */
export function gitArchive(gc: GitReadContext): void {
  const s = split(gc.args, new Set(['--format', '--prefix', '-o', '--output', '--add-file', '--add-virtual-file', '--mtime', '--remote', '--exec']), new Set(['-l', '--list', '-v', '--verbose', '--worktree-attributes', '-0', '-1', '-2', '-3', '-4', '-5', '-6', '-7', '-8', '-9']));
  for (const file of s.values.get('--add-file') ?? []) gc.ec.effects.read(file === '\0unknown' ? unresolvedPath('--add-file', 'dynamic path') : pathFor(file, gc.bases, gc.ec.ctx));
  for (const name of ['-o', '--output']) {
    for (const file of s.values.get(name) ?? []) gc.ec.effects.write(file === '\0unknown' ? unresolvedPath(name, 'dynamic path') : pathFor(file, gc.bases, gc.ec.ctx));
  }
  if (s.flags.includes('-l') || s.flags.includes('--list')) return;
  const [tree, ...paths] = [...s.before, ...s.after];
  if (!tree) return;
  if (tree.literal === undefined) gc.ec.effects.read(unresolvedPath(tree.text, 'dynamic path'));
  const named = tree.literal !== undefined && readObjectPath(tree.literal, gc);
  for (const word of paths) readPathspec(word, gc);
  if (!named && (paths.length === 0 || s.doubtful)) readRoot(gc);
}

/** `git checkout [REV] -- PATH…` and `git restore [--source REV] PATH…` overwrite and show PATH. */
export function gitRestorePaths(sub: 'checkout' | 'restore', gc: GitReadContext): void {
  const valued = new Set(['-s', '--source', '--conflict', '--pathspec-from-file', '-b', '-B', '--orphan', '--inter-hunk-context']);
  const s = split(gc.args, valued, new Set(['-f', '--force', '-q', '--quiet', '-p', '--patch', '-m', '--merge', '--ours', '--theirs', '-W', '--worktree', '-S', '--staged', '--overlay', '--no-overlay', '--ignore-unmerged', '--progress', '--no-progress', '-d', '--detach', '--recurse-submodules']));
  if (s.values.has('--pathspec-from-file')) {
    const unknown = unresolvedPath('--pathspec-from-file', 'operands from a file');
    gc.ec.effects.read(unknown);
    gc.ec.effects.write(unknown);
  }
  let paths: ShellWord[];
  if (sub === 'restore') paths = [...s.before, ...s.after];
  else if (s.dashdash) paths = s.after.concat(s.before.slice(1));
  else if (s.before.length >= 2) paths = s.before.slice(1);
  else paths = s.before.filter((w) => w.literal === undefined || isPathWord(w, gc));
  for (const word of paths) readPathspec(word, gc, true);
}
