import type { ValidationRule } from './context.js';
import { qualifierKind } from '../../rules/qualifier.js';

// AEX018: a qualifier of the wrong kind for its capability (docs/language.md, docs/language.md). The
// kind follows the tool pattern — command patterns for shell tools, host patterns or
// URL globs for network tools, path globs for the rest — so a qualifier that plainly
// reads as another kind would silently mean something else than its author wrote
// (`file.read:"cat *"` would be a file named `cat *`). Those are errors.

/** Programs whose name as the first word marks a qualifier as a command line. */
const COMMON_PROGRAMS = new Set([
  'git', 'npm', 'npx', 'node', 'yarn', 'pnpm', 'rm', 'ls', 'cat', 'cp', 'mv', 'grep', 'rg', 'find', 'sed', 'awk',
  'curl', 'wget', 'sudo', 'sh', 'bash', 'zsh', 'python', 'python3', 'pip', 'make', 'tsc', 'chmod', 'chown', 'echo',
  'docker', 'kubectl', 'ssh', 'scp', 'tar', 'xargs', 'env', 'eval', 'head', 'tail', 'touch', 'mkdir',
]);

/** Reads as a command line: several words with a flag, a lone `*`, or a familiar program first. */
function readsAsCommand(q: string): boolean {
  const words = q.trim().split(/\s+/);
  if (words.length < 2) return false;
  if (words.slice(1).some((w) => w.startsWith('-') || w === '*')) return true;
  return COMMON_PROGRAMS.has(words[0]!);
}

/** Why `qualifier` does not fit the capability of `tool`, or null when it does. */
export function kindMismatch(tool: string, qualifier: string): string | null {
  const kind = qualifierKind(tool);
  if (kind === 'command') {
    // One word only: `rm -rf /` ends with a slash and is still a command line.
    if (!/\s/.test(qualifier.trim()) && (qualifier.includes('**') || qualifier.endsWith('/'))) {
      return `"${tool}" takes a command pattern (${tool}:"git status"), but ${JSON.stringify(qualifier)} is a path glob; judge the files a command touches with file.read/file.write rules`;
    }
    return null;
  }
  if (kind === 'network') {
    if (/\s/.test(qualifier)) {
      return `"${tool}" takes a host pattern (${tool}:"*.github.com") or a URL glob, but ${JSON.stringify(qualifier)} reads as a command line`;
    }
    if (!qualifier.includes('://') && (qualifier.includes('/') || qualifier.startsWith('~') || qualifier.startsWith('.'))) {
      return `"${tool}" takes a host pattern (${tool}:"*.github.com") or a URL glob with "://" (${tool}:"https://example.com/**"), but ${JSON.stringify(qualifier)} is a path glob`;
    }
    return null;
  }
  if (readsAsCommand(qualifier)) {
    return `"${tool}" takes a path glob, but ${JSON.stringify(qualifier)} reads as a command pattern; command patterns belong to shell.exec (shell.exec:${JSON.stringify(qualifier)})`;
  }
  return null;
}

/** AEX018 a qualifier kind that does not fit the capability. */
export const qualifierKindRule: ValidationRule = {
  name: 'qualifier-kind',
  run(ctx) {
    for (const { stmt: s } of ctx.declarations) {
      if (s.type !== 'rules' && s.type !== 'confirm') continue;
      const rules = s.type === 'rules' ? s.rules : [s.rule];
      for (const r of rules) {
        if (!r.qualifier || r.qualifier.value === '') continue;
        const problem = kindMismatch(r.tool, r.qualifier.value);
        if (problem) ctx.report('AEX018', 'error', problem, r.qualifier.pos);
      }
    }
  },
};
