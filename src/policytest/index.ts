// `aex test [FILES…]` (docs/policy-tests.md): run policy test files; exit 0 when every
// case holds, 1 on any mismatch, 2 when a file cannot be read or run.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { projectRootOf } from '../runtime/policy/project-root.js';
import { resultsJson, renderResults, summarize } from './render.js';
import { runPolicyTestFile, type FileResult } from './run.js';
import { EXIT } from '../exit-codes.js';

export interface TestCommandOptions {
  files: string[];
  policy?: string;
  json?: boolean;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface TestCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  results: FileResult[];
}

/** The project's `.aex/*.test.aex`, sorted. */
export function defaultTestFiles(cwd: string): string[] {
  const dir = path.join(projectRootOf(cwd), '.aex');
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.test.aex'))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

export async function runTestCommand(opts: TestCommandOptions): Promise<TestCommandResult> {
  const files = opts.files.length > 0 ? opts.files : defaultTestFiles(opts.cwd);
  if (files.length === 0) {
    return { stdout: '', stderr: `error no policy tests: give FILES or put *.test.aex files in ${path.join(projectRootOf(opts.cwd), '.aex')} (aex init --policy writes one)\n`, exitCode: EXIT.usage, results: [] };
  }
  const results: FileResult[] = [];
  for (const f of files) {
    results.push(await runPolicyTestFile(f, { processCwd: opts.cwd, ...(opts.policy !== undefined ? { policy: opts.policy } : {}), ...(opts.env ? { env: opts.env } : {}) }));
  }
  const s = summarize(results);
  const exitCode = s.broken > 0 ? EXIT.usage : s.failed > 0 ? EXIT.failed : EXIT.ok;
  const stdout = opts.json ? JSON.stringify(resultsJson(results), null, 2) + '\n' : renderResults(results, opts.cwd);
  return { stdout, stderr: '', exitCode, results };
}
