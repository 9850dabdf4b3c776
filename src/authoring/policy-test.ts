// The policy-test format (docs/explain.md, "Policy tests"): a file with a
// `policytest NAME vN` header and one `expect VERDICT CAPABILITY VALUE` line per case,
// where VALUE is a JSON string or a JSON object. `aex init --policy` writes one;
// this module reads it and turns each case into the call it stands for. Reading is
// strict: a line that is not a comment, a blank, the header or a well-formed expect
// is an error with its line number, never a skipped case.

export const EXPECT_VERDICTS = ['allow', 'confirm', 'deny', 'not_allowed'] as const;
export type ExpectVerdict = (typeof EXPECT_VERDICTS)[number];

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

export class PolicyTestError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PolicyTestError';
  }
}

const HEADER = /^policytest\s+([A-Za-z0-9_-]+)\s+v(\d+(?:\.\d+)*)\s*$/;
const EXPECT = /^expect\s+(\S+)\s+([A-Za-z_*][A-Za-z0-9_*-]*(?:\.[A-Za-z_*][A-Za-z0-9_*-]*)*)\s+(.+)$/;

export function parsePolicyTest(text: string): PolicyTestFile {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  let header: { name: string; version: string } | undefined;
  const cases: PolicyTestCase[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (!header) {
      const h = HEADER.exec(t);
      if (!h) throw new PolicyTestError('the first line must be the header `policytest NAME vN`', line);
      header = { name: h[1]!, version: h[2]! };
      return;
    }
    const m = EXPECT.exec(t);
    if (!m) throw new PolicyTestError('expected `expect VERDICT CAPABILITY VALUE`', line);
    const verdict = m[1]!;
    if (!(EXPECT_VERDICTS as readonly string[]).includes(verdict)) {
      throw new PolicyTestError(`unknown verdict ${JSON.stringify(verdict)}; use ${EXPECT_VERDICTS.join(', ')}`, line);
    }
    let value: unknown;
    try {
      value = JSON.parse(m[3]!);
    } catch {
      throw new PolicyTestError('the value must be a JSON string or a JSON object', line);
    }
    if (typeof value !== 'string' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new PolicyTestError('the value must be a JSON string or a JSON object', line);
    }
    cases.push({ line, expect: verdict as ExpectVerdict, tool: m[2]!, value: value as PolicyTestCase['value'] });
  });
  if (!header) throw new PolicyTestError('the file has no `policytest NAME vN` header', 1);
  return { ...header, cases };
}

/**
 * The call a case stands for. A string is what the capability's calls carry: a command
 * line for `shell.*` (judged as a shell line), a URL for `network.*`, a path otherwise;
 * an object is the call's arguments as they are.
 */
export function caseCall(c: PolicyTestCase): { tool: string; args: Record<string, unknown>; shell?: string } {
  if (typeof c.value !== 'string') return { tool: c.tool, args: c.value };
  if (c.tool === 'shell.exec' || c.tool.startsWith('shell.')) return { tool: c.tool, args: { command: c.value }, shell: c.value };
  if (c.tool.startsWith('network.')) return { tool: c.tool, args: { url: c.value } };
  return { tool: c.tool, args: { path: c.value } };
}
