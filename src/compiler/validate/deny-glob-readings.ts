import type { ValidationRule } from './context.js';
import { qualifierField } from '../rule-spec.js';
import { kindMismatch } from './qualifier-kind.js';

// AEX016 (warning): a deny path glob that can be read two ways (docs/paths.md, docs/language.md).
// A deny rule is only as good as its author's reading of it; when the glob matches
// less than one plausible reading, a protected file stays reachable. The readings
// (docs/language.md, "Deny globs with two readings"):
//   1. a `..` segment: lexically and through a symlink `..` can name different folders;
//   2. `~user/…`: another user's home, which AEX does not resolve;
//   3. a relative glob that is not anchored (`secrets/**`): below the project root, or
//      at any depth as in .gitignore? AEX reads the first; write `./secrets/**` or
//      `**/secrets/**` to say which;
//   4. a last segment without a wildcard, a trailing `/` or an extension (`./secrets`,
//      `.git`): a file or a whole folder? As written it matches only the path itself.

/** Why `glob` has two readings, or null. Exported for tests and docs. */
export function globReadings(glob: string): string | null {
  const segs = glob.split('/');
  if (segs.includes('..')) {
    return `"${glob}" contains "..": lexically and through a symlink it can name different folders; write the folder it means`;
  }
  if (/^~[^/]/.test(glob)) {
    return `"${glob}" names another user's home, which AEX does not resolve; write the absolute path`;
  }
  const absolute = glob.startsWith('/') || glob === '~' || glob.startsWith('~/');
  const anchored = absolute || glob.startsWith('./') || glob === '.' || glob.startsWith('**/') || glob === '**';
  // `*.env` with no `/` matches at any depth by definition (docs/paths.md): one reading.
  const anyDepth = !glob.includes('/') && glob.startsWith('*');
  if (!anchored && !anyDepth) {
    return `"${glob}" is relative and not anchored: it is read below the project root (./${glob}), not at any depth; write ./${glob} or **/${glob}`;
  }
  const last = segs[segs.length - 1]!;
  if (last !== '' && !/[*?]/.test(last) && !last.slice(1).includes('.')) {
    return `"${glob}" may name a file or a folder: as written it matches only that path, not what is below it; write ${glob}/ for the folder and everything in it`;
  }
  return null;
}

/** AEX016 a deny path glob with two readings. */
export const denyGlobReadingsRule: ValidationRule = {
  name: 'deny-glob-readings',
  run(ctx) {
    for (const r of ctx.denyRules) {
      const q = r.qualifier;
      if (!q || q.value === '' || qualifierField(r.tool, q.value) !== 'path' || kindMismatch(r.tool, q.value)) continue;
      const why = globReadings(q.value);
      if (why) ctx.report('AEX016', 'warning', `\`deny ${r.text}\`: ${why}`, q.pos);
    }
  },
};
