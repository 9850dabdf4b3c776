// Before a diff is applied, git itself says what it will touch (docs/shell.md, docs/paths.md):
// `git apply --numstat --summary -z` lists one name per file patch and the creations,
// mode changes, renames and copies. If that differs from what AEX's parser read — and so
// from what the kernel judged — the patch is refused before anything is written.

import type { FilePatch } from '../../describe/patch.js';
import { createsSymlink } from '../../describe/patch.js';

export class PatchMismatchError extends Error {
  constructor(message: string) {
    super(`Patch refused: git reads it differently from AEX (${message}).`);
    this.name = 'PatchMismatchError';
  }
}

/** How git's summary shows a rename or copy: `a/{x => y}` after a common folder prefix. */
export function renderRename(oldName: string, newName: string): string {
  let o = 0;
  let n = 0;
  for (;;) {
    const so = oldName.indexOf('/', o);
    const sn = newName.indexOf('/', n);
    if (so < 0 || sn < 0 || so - o !== sn - n || oldName.slice(o, so) !== newName.slice(n, sn)) break;
    o = so + 1;
    n = sn + 1;
  }
  if (o === 0) return `${oldName} => ${newName}`;
  return `${oldName.slice(0, o)}{${oldName.slice(o)} => ${newName.slice(n)}}`;
}

/**
 * Compares git's `--numstat --summary -z` output with the parsed patches; throws
 * PatchMismatchError on any difference: another file name, a rename or copy git reads
 * between other names, or a symlink the parser did not see.
 */
export function checkGitReading(output: string, patches: readonly FilePatch[]): void {
  const names = patches.map((p) => p.newName ?? p.oldName ?? '');
  if (names.some((n) => n.includes('\n') || n.includes('\r'))) {
    throw new PatchMismatchError('a file name with a line break cannot be cross-checked');
  }
  // numstat: one "ADDED\tDELETED\tNAME\0" record per file patch, in patch order.
  let rest = output;
  for (const expected of names) {
    const end = rest.indexOf('\0');
    if (end < 0) throw new PatchMismatchError(`git lists fewer files than the patch has (missing "${expected}")`);
    const m = /^(?:\d+|-)\t(?:\d+|-)\t([\s\S]*)$/.exec(rest.slice(0, end));
    if (!m) throw new PatchMismatchError('unexpected numstat output');
    if (m[1] !== expected) throw new PatchMismatchError(`git names "${m[1]}" where AEX read "${expected}"`);
    rest = rest.slice(end + 1);
  }
  const symlinks = new Set(patches.filter(createsSymlink).map((p) => p.newName));
  const renames = new Map<string, number>();
  for (const p of patches) {
    if ((p.isRename || p.isCopy) && p.oldName !== null && p.newName !== null) {
      const key = `${p.isRename ? 'rename' : 'copy'} ${renderRename(p.oldName, p.newName)}`;
      renames.set(key, (renames.get(key) ?? 0) + 1);
    }
  }
  for (const line of rest.split('\n')) {
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^ (create|delete) mode ([0-7]+) ([\s\S]+)$/.exec(line)) || (m = /^ (create|delete) ([\s\S]+)$/.exec(line))) {
      if (m[1] === 'create' && m.length === 4 && parseInt(m[2]!, 8) === 0o120000 && !symlinks.has(m[3]!)) {
        throw new PatchMismatchError(`git creates a symlink "${m[3]}" AEX did not see`);
      }
    } else if ((m = /^ mode change ([0-7]+) => ([0-7]+)(?: ([\s\S]+))?$/.exec(line))) {
      if (parseInt(m[2]!, 8) === 0o120000 && (m[3] === undefined || !symlinks.has(m[3]))) {
        throw new PatchMismatchError('git turns a file into a symlink AEX did not see');
      }
    } else if ((m = /^ ((?:rename|copy) [\s\S]+) \(\d+%\)$/.exec(line))) {
      const left = renames.get(m[1]!) ?? 0;
      if (left === 0) throw new PatchMismatchError(`git reads "${m[1]}" where AEX did not`);
      renames.set(m[1]!, left - 1);
    } else if (!/^ rewrite [\s\S]+ \(\d+%\)$/.test(line)) {
      throw new PatchMismatchError(`unexpected summary line "${line.trim()}"`);
    }
  }
  for (const [what, left] of renames) if (left > 0) throw new PatchMismatchError(`git does not read "${what}"`);
}
