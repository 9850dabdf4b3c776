// The policy-test format as `aex init --policy` writes it (docs/policy-tests.md). The
// reader itself is parse.ts beside it, which `aex test` uses; this module
// keeps the small, throwing interface the authoring code and its tests were written
// against: capability cases only, the first problem as an error with its line.

import { callOfCase, EXPECT_VERDICTS, parsePolicyTestFile, type ExpectVerdict } from './parse.js';
import { AexError } from '../errors.js';

export { EXPECT_VERDICTS, type ExpectVerdict };

export interface PolicyTestCase {
  line: number;
  expect: ExpectVerdict;
  /** An AEX capability: `shell.exec`, `file.read`, `mcp.github.create_issue`. */
  tool: string;
  /** A JSON string (command line, path or URL by capability) or the call's JSON arguments. */
  value: string | Record<string, unknown>;
}

export interface PolicyTestFile {
  name: string;
  version: string;
  cases: PolicyTestCase[];
}

export class PolicyTestError extends AexError {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PolicyTestError';
  }
}

export function parsePolicyTest(text: string): PolicyTestFile {
  const parsed = parsePolicyTestFile(text);
  const first = parsed.diagnostics[0];
  if (first) throw new PolicyTestError(first.message, first.line);
  const cases: PolicyTestCase[] = [];
  for (const c of parsed.cases) {
    if (c.kind !== 'call') throw new PolicyTestError('a payload case is run by `aex test`, not read here', c.line);
    cases.push({ line: c.line, expect: c.expect, tool: c.tool, value: c.value });
  }
  return { name: parsed.name, version: parsed.version, cases };
}

/** The call a case stands for (src/policytest/parse.ts callOfCase). */
export function caseCall(c: PolicyTestCase): { tool: string; args: Record<string, unknown>; shell?: string } {
  return callOfCase({ kind: 'call', ...c });
}
