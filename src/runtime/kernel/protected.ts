// AEX's own state, which no agent action may write whatever the policy says
// (docs/design.md#protected-state, docs/design.md#protected-state): the policies in use, AEX's folder, the hosts' hook
// configuration, and the git files that turn `git` into code execution.

import path from 'node:path';
import type { EffectivePermissions } from '../../rules/types.js';

/** Entries relative to the project root, as globs (docs/design.md#protected-state). */
const ROOT_ENTRIES = [
  '.aex/**',
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.mcp.json',
  '.codex/**',
  '.gemini/settings.json',
  '.gemini/policies/**',
  '.cursor/hooks.json',
  '.cursor/mcp.json',
  '.git/config',
  '.git/hooks/**',
  '.git/info/**',
] as const;

/**
 * Capabilities whose path attributes AEX knows to be read, never written: their writes,
 * if any, are separate file.write actions (a patch of git.apply, a redirection of a
 * shell line). Every other capability with a path may write it — an MCP server's
 * `write_file`, a host tool AEX has no table for — so the protected set applies to it
 * too (docs/design.md#protected-state, fail closed: an unknown tool is not trusted to only read).
 */
const READ_ONLY = new Set(['file.read', 'shell.exec', 'git.status', 'git.diff', 'git.apply', 'tests.run', 'model.make']);

/** Capabilities that write the files they name, as AEX's own describers say. */
export function surelyWritesFiles(cap: string): boolean {
  return cap === 'file.write' || cap === 'file.symlink';
}

/** May an action of this capability write the paths it names? */
export function writesFiles(cap: string): boolean {
  if (READ_ONLY.has(cap)) return false;
  if (cap === 'network' || cap.startsWith('network.')) return false;
  // MCP resources and prompts are fetched, not written.
  if (cap.startsWith('mcp.') && (cap.endsWith('.resources.read') || cap.endsWith('.prompts.get'))) return false;
  return true;
}

/** Glob characters are escaped nowhere in AEX globs, so a literal file name is its own glob. */
function fileEntry(file: string): string {
  return path.resolve(file);
}

/**
 * The protected entries of one decision, as absolute globs: every project root's
 * entries, every policy and task file in use (with its extends chain), and the extra
 * entries a surface adds (state directory, key files).
 */
export function protectedEntries(perms: EffectivePermissions, extra: readonly string[] = []): string[] {
  const roots = new Set<string>([path.resolve(perms.cwd)]);
  for (const layer of [perms.policy, perms.task]) if (layer?.root) roots.add(path.resolve(layer.root));
  const out: string[] = [];
  for (const root of roots) for (const e of ROOT_ENTRIES) out.push(path.join(root, e));
  for (const layer of [perms.policy, perms.task]) {
    if (!layer) continue;
    if (layer.file) out.push(fileEntry(layer.file));
    for (const f of layer.files ?? []) out.push(fileEntry(f));
  }
  out.push(...extra);
  return [...new Set(out)];
}
