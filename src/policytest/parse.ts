// Reading a policy test file (docs/policy-tests.md): a `policytest NAME vN` header, an
// optional `policy "FILE"` line naming the policy under test, and `expect` lines:
//
//   expect VERDICT CAPABILITY VALUE          VALUE: a JSON string or a JSON object
//   expect VERDICT payload HOST "FILE"       a host's hook payload, read from FILE
//
// Reading is strict and reports every problem as a diagnostic with its line and column
// (AEX140), so a typo is an error at its place, never a case that silently goes missing.

import { diag, type Diagnostic } from '../compiler/diagnostics.js';

export const EXPECT_VERDICTS = ['allow', 'confirm', 'deny', 'not_allowed'] as const;
export type ExpectVerdict = (typeof EXPECT_VERDICTS)[number];

/** Hosts whose hook payloads a case may give (their describer decides what the call does). */
export const PAYLOAD_HOSTS = ['claude-code'] as const;

interface CaseBase {
  line: number;
  expect: ExpectVerdict;
}

/** A call named by its AEX capability and a value. */
export interface CapabilityCase extends CaseBase {
  kind: 'call';
  /** An AEX capability: `shell.exec`, `file.read`, `mcp.github.create_issue`. */
  tool: string;
  /** A JSON string (command line, path or URL by capability) or the call's JSON arguments. */
  value: string | Record<string, unknown>;
}

/** A host's hook payload, read from a file relative to the test file. */
export interface PayloadCase extends CaseBase {
  kind: 'payload';
  host: string;
  file: string;
  /** Column of the file name, for diagnostics about the payload. */
  fileColumn: number;
}

export type PolicyTestCase = CapabilityCase | PayloadCase;

export interface ParsedPolicyTest {
  name: string;
  version: string;
  /** The policy under test, relative to the test file, when the file names one. */
  policy?: { file: string; line: number; column: number };
  cases: PolicyTestCase[];
  diagnostics: Diagnostic[];
}

const NAME = /^[A-Za-z0-9_-]+$/;
const VERSION = /^v\d+(?:\.\d+)*$/;
const CAPABILITY = /^[A-Za-z_*][A-Za-z0-9_*-]*(?:\.[A-Za-z_*][A-Za-z0-9_*-]*)*$/;

/** One space-separated word of a line, with its 1-based column. */
interface Word {
  text: string;
  column: number;
}

/** The next word at or after `from`, and where the rest of the line starts. */
function nextWord(line: string, from: number): { word?: Word; rest: number } {
  let i = from;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  if (i >= line.length) return { rest: i };
  let j = i;
  while (j < line.length && line[j] !== ' ' && line[j] !== '\t') j++;
  return { word: { text: line.slice(i, j), column: i + 1 }, rest: j };
}

/** Skips spaces; the index of the first other character. */
function skipSpaces(line: string, from: number): number {
  let i = from;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** The column inside `text` that JSON.parse's message points at, if it says. */
function jsonErrorColumn(err: unknown, start: number): number {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? start + Number(m[1]) : start;
}

export function parsePolicyTestFile(text: string): ParsedPolicyTest {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const diagnostics: Diagnostic[] = [];
  const cases: PolicyTestCase[] = [];
  const error = (message: string, line: number, column: number, end?: number) =>
    diagnostics.push(diag('AEX140', 'error', message, line, column, end !== undefined ? { line, column: end } : undefined));
  let header: { name: string; version: string } | undefined;
  let policy: ParsedPolicyTest['policy'];

  /** A JSON value starting at index `at` of `raw` that runs to the end of the line. */
  const jsonAt = (raw: string, at: number, line: number): unknown => {
    const source = raw.slice(at).replace(/\s+$/, '');
    try {
      return JSON.parse(source);
    } catch (err) {
      error('the value must be one JSON string or JSON object, up to the end of the line (comments go on their own lines)', line, jsonErrorColumn(err, at + 1));
      return undefined;
    }
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const start = skipSpaces(raw, 0);
    if (start >= raw.length || raw[start] === '#') return;
    const first = nextWord(raw, start);
    const w = first.word!;
    if (!header) {
      if (w.text !== 'policytest') {
        error('the first line must be the header `policytest NAME vN`', line, w.column, w.column + w.text.length);
        header = { name: '', version: '' };
        return;
      }
      const name = nextWord(raw, first.rest);
      const version = name.word ? nextWord(raw, name.rest) : undefined;
      const extra = version?.word ? nextWord(raw, version.rest) : undefined;
      if (!name.word || !NAME.test(name.word.text)) error('the header needs a name: `policytest NAME vN`', line, name.word?.column ?? raw.length + 1);
      else if (!version?.word || !VERSION.test(version.word.text)) error('the header needs a version such as v1: `policytest NAME vN`', line, version?.word?.column ?? raw.length + 1);
      else if (extra?.word) error('unexpected text after the header', line, extra.word.column);
      header = { name: name.word?.text ?? '', version: version?.word?.text.slice(1) ?? '' };
      return;
    }
    if (w.text === 'policy') {
      const at = skipSpaces(raw, first.rest);
      if (policy) return void error('the file already names its policy', line, w.column);
      if (cases.length > 0) return void error('`policy` comes before the first `expect`', line, w.column);
      const value = jsonAt(raw, at, line);
      if (value === undefined) return;
      if (typeof value !== 'string' || value === '') return void error('`policy` takes the policy file as a JSON string: policy "../policy.aex"', line, at + 1);
      policy = { file: value, line, column: at + 1 };
      return;
    }
    if (w.text !== 'expect') return void error('expected `expect VERDICT CAPABILITY VALUE` (or `policy "FILE"` before the first case)', line, w.column, w.column + w.text.length);
    const verdict = nextWord(raw, first.rest);
    if (!verdict.word) return void error('expected a verdict: allow, confirm, deny or not_allowed', line, raw.length + 1);
    if (!(EXPECT_VERDICTS as readonly string[]).includes(verdict.word.text)) {
      return void error(`unknown verdict ${JSON.stringify(verdict.word.text)}; use ${EXPECT_VERDICTS.join(', ')}`, line, verdict.word.column, verdict.word.column + verdict.word.text.length);
    }
    const expect = verdict.word.text as ExpectVerdict;
    const cap = nextWord(raw, verdict.rest);
    if (!cap.word) return void error('expected a capability (shell.exec, file.read, mcp.S.T) or `payload HOST "FILE"`', line, raw.length + 1);
    if (cap.word.text === 'payload') {
      const host = nextWord(raw, cap.rest);
      if (!host.word) return void error(`expected a host after \`payload\`: ${PAYLOAD_HOSTS.join(', ')}`, line, raw.length + 1);
      if (!(PAYLOAD_HOSTS as readonly string[]).includes(host.word.text)) {
        return void error(`aex test reads hook payloads of ${PAYLOAD_HOSTS.join(', ')}; not ${JSON.stringify(host.word.text)}`, line, host.word.column, host.word.column + host.word.text.length);
      }
      const at = skipSpaces(raw, host.rest);
      if (at >= raw.length) return void error('expected the payload file as a JSON string', line, at + 1);
      const value = jsonAt(raw, at, line);
      if (value === undefined) return;
      if (typeof value !== 'string' || value === '') return void error('the payload file is a JSON string: "fixtures/payload.json"', line, at + 1);
      cases.push({ kind: 'payload', line, expect, host: host.word.text, file: value, fileColumn: at + 1 });
      return;
    }
    if (!CAPABILITY.test(cap.word.text)) return void error(`not a capability: ${JSON.stringify(cap.word.text)}`, line, cap.word.column, cap.word.column + cap.word.text.length);
    const at = skipSpaces(raw, cap.rest);
    if (at >= raw.length) return void error('expected the call: a JSON string or a JSON object of arguments', line, at + 1);
    const value = jsonAt(raw, at, line);
    if (value === undefined) return;
    if (typeof value !== 'string' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      return void error('the value must be a JSON string or a JSON object', line, at + 1);
    }
    cases.push({ kind: 'call', line, expect, tool: cap.word.text, value: value as CapabilityCase['value'] });
  });
  if (!header) error('the file has no `policytest NAME vN` header', 1, 1);
  return { name: header?.name ?? '', version: header?.version ?? '', ...(policy ? { policy } : {}), cases, diagnostics };
}

/**
 * The call a capability case stands for. A string is what the capability's calls carry:
 * a command line for `shell.*` (judged as a shell line), a URL for `network.*`, a path
 * otherwise; an object is the call's arguments as they are.
 */
export function callOfCase(c: CapabilityCase): { tool: string; args: Record<string, unknown>; shell?: string } {
  if (typeof c.value !== 'string') return { tool: c.tool, args: c.value };
  if (c.tool === 'shell.exec' || c.tool.startsWith('shell.')) return { tool: c.tool, args: { command: c.value }, shell: c.value };
  if (c.tool.startsWith('network.')) return { tool: c.tool, args: { url: c.value } };
  return { tool: c.tool, args: { path: c.value } };
}
