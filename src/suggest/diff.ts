// A unified diff that inserts lines into a file (`aex suggest` proposes; it never
// applies): the new lines go after the policy's last top-level `allow` statement, or at
// the end, with three lines of context as `git apply` and `patch` expect.

const CONTEXT = 3;

/** The index (0-based) of the line after which new allow lines go. */
export function insertionPoint(lines: readonly string[]): number {
  let last = -1;
  lines.forEach((l, i) => {
    if (/^allow\s/.test(l)) last = i;
  });
  if (last < 0) {
    // No allow yet: at the end, before trailing blank lines.
    let end = lines.length - 1;
    while (end >= 0 && lines[end]!.trim() === '') end--;
    return end;
  }
  // An allow statement may continue on indented lines.
  while (last + 1 < lines.length && /^\s+\S/.test(lines[last + 1]!)) last++;
  return last;
}

export function insertionDiff(fileLabel: string, text: string, added: readonly string[]): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const at = insertionPoint(lines);
  const before = lines.slice(Math.max(0, at - CONTEXT + 1), at + 1);
  const after = lines.slice(at + 1, at + 1 + CONTEXT);
  const oldStart = Math.max(0, at - CONTEXT + 1) + 1;
  const oldCount = before.length + after.length;
  const head = [`--- a/${fileLabel}`, `+++ b/${fileLabel}`, `@@ -${oldCount === 0 ? 0 : oldStart},${oldCount} +${oldCount === 0 ? 1 : oldStart},${oldCount + added.length} @@`];
  const body = [...before.map((l) => ` ${l}`), ...added.map((l) => `+${l}`), ...after.map((l) => ` ${l}`)];
  // The last context line of a file without a final newline says so, as diff does.
  const touchesEnd = at + 1 + CONTEXT >= lines.length;
  if (!endsWithNewline && touchesEnd) {
    if (after.length > 0) body.push('\\ No newline at end of file');
    else body.splice(before.length, 0, '\\ No newline at end of file');
  }
  return [...head, ...body].join('\n') + '\n';
}
