// The actions of a patch (docs/design.md#actions "Patch tools", docs/paths.md): one file.write action on
// every file it writes, a file.read action on copy sources, and a file.symlink action
// on every link it creates or retargets (so symlinks need `allow file.symlink`). A patch
// AEX cannot read is a file.write action with an unresolved path: every path rule
// refuses it.

import { parsePatch, readFiles, symlinkFiles, writtenFiles } from './patch.js';
import { pathAttr, unresolvedPath } from './paths.js';
import type { Action, ActionPath, DescribeContext } from './types.js';

export function patchActions(diff: unknown, base: string, ctx: DescribeContext, args: Record<string, unknown>): Action[] {
  if (typeof diff !== 'string') return [{ cap: 'file.write', paths: [unresolvedPath(String(diff), 'diff is not a string')], args }];
  const reading = parsePatch(diff);
  if ('error' in reading) {
    return [{ cap: 'file.write', paths: [unresolvedPath('(diff)', `unreadable patch: ${reading.error}`)], args }];
  }
  const at = (names: string[]): ActionPath[] => names.map((n) => pathAttr(n, base, ctx));
  const actions: Action[] = [{ cap: 'file.write', paths: at(writtenFiles(reading)), args }];
  const read = readFiles(reading);
  if (read.length > 0) actions.push({ cap: 'file.read', paths: at(read), args });
  const links = symlinkFiles(reading);
  if (links.length > 0) actions.push({ cap: 'file.symlink', paths: at(links), args });
  return actions;
}
