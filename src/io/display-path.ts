// How every message, audit event and report shows a path: relative to a root (the
// project root, or the current folder for CLI output) when the path is inside it, else
// absolute, with `/` separators. The root itself and paths outside it are shown whole,
// so `../x` never appears and a reader can always tell where a file is.
//
// On the gate's path for every decision: node built-ins only, and no path resolution
// in the usual case.

import path from 'node:path';

/** `p` as a person reads it: relative to `root` when strictly inside it, else as given. */
export function displayPath(p: string, root: string): string {
  // Both already normalised and absolute (the usual case: forms and rule sources), a
  // path under the root is its tail; path.relative() would resolve both again.
  if (isPlainAbsolute(root) && root !== '/' && p.length > root.length + 1 && p.startsWith(root) && p.charCodeAt(root.length) === 0x2f) {
    const tail = p.slice(root.length + 1);
    // (`..x` is shown absolute, as path.relative's answer would be.)
    if (isPlainRelative(tail) && !tail.startsWith('..')) return tail;
  }
  const rel = path.relative(root, p);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return p;
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** `/a/b`: absolute, no empty, `.` or `..` segment, no trailing slash. */
function isPlainAbsolute(p: string): boolean {
  return p.startsWith('/') && (p === '/' || isPlainRelative(p.slice(1)));
}

/** `a/b`: non-empty, no empty, `.` or `..` segment, no leading or trailing slash. */
function isPlainRelative(p: string): boolean {
  let start = 0;
  for (;;) {
    let end = p.indexOf('/', start);
    if (end < 0) end = p.length;
    const len = end - start;
    if (len === 0) return false;
    if (p.charCodeAt(start) === 0x2e && (len === 1 || (len === 2 && p.charCodeAt(start + 1) === 0x2e))) return false;
    if (end === p.length) return true;
    start = end + 1;
  }
}
