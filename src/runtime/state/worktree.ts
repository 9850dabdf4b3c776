// The repository a git worktree belongs to, read from files only (no git process, so no
// hook or config of the repository runs). A linked worktree's `.git` is a file
// `gitdir: <main>/.git/worktrees/<name>`; that folder's `commondir` names the main
// repository's git folder, and its `gitdir` file points back at the worktree's `.git`.
// Sessions in a worktree share the main project's budget, so the state folder of a
// worktree is the main project's.
//
// Imported by `aex gate` on every call: node built-ins only.

import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

function readSmall(file: string): string | undefined {
  try {
    const st = lstatSync(file);
    if (!st.isFile() || st.size > 4096) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The main working tree of the linked worktree at `top` (the folder holding the `.git`
 * file), or undefined when `top` is no linked worktree. Every link is checked both ways
 * — the worktree names its git folder, the git folder names the worktree back, and it
 * sits in the common folder's `worktrees/` — and the main repository must lie outside
 * the worktree, so a `.git` file planted in the project cannot move it to a fresh budget.
 */
function mainTreeOf(top: string): string | undefined {
  const dotGit = path.join(top, '.git');
  const text = readSmall(dotGit);
  const m = text === undefined ? null : /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!m) return undefined;
  const gitDir = real(path.resolve(top, m[1]!));
  if (gitDir === undefined) return undefined;
  const common = readSmall(path.join(gitDir, 'commondir'))?.trim();
  if (!common) return undefined;
  const commonDir = real(path.resolve(gitDir, common));
  if (commonDir === undefined || path.dirname(gitDir) !== path.join(commonDir, 'worktrees')) return undefined;
  const back = readSmall(path.join(gitDir, 'gitdir'))?.trim();
  if (!back || real(path.resolve(gitDir, back)) !== real(dotGit)) return undefined;
  // The usual layout: the common folder is the main tree's `.git`.
  if (path.basename(commonDir) !== '.git') return undefined;
  const main = path.dirname(commonDir);
  if (inside(main, top)) return undefined;
  return main;
}

/**
 * The path that identifies the project of `root` for its state: `root` itself, or, when
 * `root` is (inside) a linked git worktree, the same place in the main working tree.
 */
export function projectIdentity(root: string): string {
  const start = real(root) ?? path.resolve(root);
  for (let dir = start; ; dir = path.dirname(dir)) {
    let st;
    try {
      st = lstatSync(path.join(dir, '.git'));
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) return start;
    if (st?.isFile()) {
      const main = mainTreeOf(dir);
      return main === undefined ? start : path.join(main, path.relative(dir, start));
    }
    const parent = path.dirname(dir);
    if (parent === dir) return start;
  }
}
