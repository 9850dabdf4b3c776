// The built-in tool registry (docs/language.md). All built-ins run confined to ctx.cwd.

import { fileRead } from './file-read.js';
import { fileWrite } from './file-write.js';
import { gitApply } from './git-apply.js';
import { gitDiff } from './git-diff.js';
import { gitStatus } from './git-status.js';
import { testsRun } from './tests-run.js';
import type { ToolRegistry } from './types.js';

export function builtinTools(): ToolRegistry {
  return {
    'file.read': { handler: fileRead, sideEffect: 'read', description: 'Read UTF-8 files inside the working directory.' },
    'file.write': { handler: fileWrite, sideEffect: 'write', description: 'Write files atomically, or apply a unified diff.' },
    'tests.run': {
      handler: testsRun,
      sideEffect: 'write',
      description: 'Run a test command (executes code: treat like shell.exec).',
    },
    'git.status': { handler: gitStatus, sideEffect: 'read', description: 'Lines of git status --short.' },
    'git.diff': { handler: gitDiff, sideEffect: 'read', description: 'git diff, optionally limited to paths.' },
    'git.apply': { handler: gitApply, sideEffect: 'write', description: 'Apply a unified diff; throws if it does not apply.' },
  };
}

export const BUILTIN_TOOLS = Object.keys(builtinTools());
