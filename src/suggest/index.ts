// `aex suggest AUDIT… [--policy FILE] [--json]` (docs/policy-tests.md): read audit logs,
// propose the narrowest allow rules for the calls no rule allowed, as a unified diff
// against the policy on stdout, and grants for calls a confirm rule asked about. It never
// writes the policy; what it will not suggest (deny rules, protected state, calls AEX
// could not read) is said on stderr.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverPolicy } from '../runtime/policy/load.js';
import { projectRootOf } from '../runtime/policy/project-root.js';
import { BoundedReadError } from '../io/bounded-read.js';
import { insertionDiff } from './diff.js';
import { readFindings } from './read.js';
import { suggestRules, type Suggestions } from './rules.js';
import { EXIT } from '../exit-codes.js';

export interface SuggestCommandOptions {
  audits: string[];
  policy?: string;
  json?: boolean;
  cwd: string;
}

export interface SuggestCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  suggestions?: Suggestions;
}

const fail = (message: string): SuggestCommandResult => ({ stdout: '', stderr: `error ${message}\n`, exitCode: EXIT.usage });

function addedLines(s: Suggestions): string[] {
  if (s.allow.length === 0) return [];
  const calls = new Set(s.allow.flatMap((x) => x.seen)).size;
  return [`# Suggested by aex suggest for ${calls} call${calls === 1 ? '' : 's'} no rule allowed; read each before you keep it.`, ...s.allow.map((x) => `allow ${x.rule}`)];
}

export function runSuggestCommand(opts: SuggestCommandOptions): SuggestCommandResult {
  if (opts.audits.length === 0) return fail('give one or more audit logs (JSON lines): aex suggest AUDIT…');
  const root = projectRootOf(opts.cwd);
  const policyFile = opts.policy !== undefined ? path.resolve(opts.cwd, opts.policy) : discoverPolicy(root);
  if (policyFile === undefined) return fail(`no policy found at ${root}; give one with --policy FILE`);
  let policyText: string;
  try {
    policyText = readFileSync(policyFile, 'utf8');
  } catch (err) {
    return fail(`cannot read the policy ${policyFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let read;
  try {
    read = readFindings(opts.audits.map((a) => path.resolve(opts.cwd, a)));
  } catch (err) {
    if (err instanceof BoundedReadError || (err as NodeJS.ErrnoException)?.code) return fail(err instanceof Error ? err.message : String(err));
    throw err;
  }
  // Audit paths are shown relative to the project root the surface decided in.
  const s = suggestRules(read.findings, root);
  if (opts.json) return { stdout: JSON.stringify({ policy: policyFile, ...s, skipped: read.skipped }, null, 2) + '\n', stderr: '', exitCode: EXIT.ok, suggestions: s };

  const label = path.relative(opts.cwd, policyFile) || policyFile;
  const stdout = s.allow.length > 0 ? insertionDiff(label.startsWith('..') ? policyFile : label, policyText, addedLines(s)) : '';
  const err: string[] = [];
  if (s.allow.length === 0) err.push('no allow rule to suggest');
  if (s.grants.length > 0) {
    err.push('calls a confirm rule asked about: no allow rule skips a confirmation; a person can approve one for a while with');
    for (const g of s.grants) err.push(`  aex grant '${g.rule.replace(/'/g, `'\\''`)}' --for 30m`);
  }
  err.push(...s.notes);
  if (read.skipped > 0) err.push(`${read.skipped} line${read.skipped === 1 ? ' was' : 's were'} not decision events AEX can read (not JSON, or no action recorded)`);
  return { stdout, stderr: err.map((l) => `${l}\n`).join(''), exitCode: EXIT.ok, suggestions: s };
}
