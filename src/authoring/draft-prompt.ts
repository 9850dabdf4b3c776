// What `aex draft` tells the model (docs/cli.md): a role statement, a summary of the
// language, the drafting rules, the active policy verbatim, and two example contracts.
// Each retry repeats the request with the model's previous draft and the diagnostics
// the compiler found in it, de-duplicated.

import type { Diagnostic } from '../compiler/diagnostics.js';

export const LANGUAGE_SUMMARY = `AEX task contract syntax (one statement per line; \`#\` starts a comment outside strings):

task NAME v0                        header, first line (NAME: letters, digits, _ and -)
goal "One sentence."                exactly one goal, a double-quoted string with JSON escapes
use TOOL, TOOL:PATHGLOB, ...        tools the task requests (a pattern: a.b, a.*, or *; optional :glob)
deny TOOL, ...                      tools the task must never call
confirm before TOOL                 a human must approve every matching call (top level only)
budget calls=N                      at most N tool/model calls
need NAME: TYPE                     typed input; TYPE is str, num, int, bool, file, url, json or list[TYPE]; append ? for optional

Steps (top level or inside if/for blocks, blocks indented by two spaces):
do TOOL(arg=VALUE, ...) -> NAME     call a tool; bind its result to NAME (optional)
make NAME: KIND from REF, ... with: model-generated artifact (KIND such as diff, markdown, text, json)
  - instruction line                one or more instruction lines, indented, each starting with "- "
check CONDITION                     stop the run unless CONDITION holds
if CONDITION                        run the indented block only when CONDITION holds (no else)
for NAME in REF                     run the indented block once per list element
return VALUE                        finish with VALUE (at least one return is required)

Values: "text" (always quoted), numbers, true, false, null, [list, of, values], {key: value},
or a reference to a need or an earlier bind: name, name.field, name.0. A bare word is always a
reference; an unknown reference is an error. Brackets may span several lines.

Conditions: REF | REF has "text" | REF has citations | REF does not include "text" |
REF is valid diff | REF touches only REF | REF touches only ["a.ts", "b.ts"]

Built-in tools: file.read(paths=[...]) -> {path: text}; file.write(path=P, contents=C) or
file.write(diff=D); tests.run(cmd=["npm", "test"]) -> {passed, stdout, stderr, exitCode};
git.status(); git.diff(paths=[...]); git.apply(diff=D). Other tool names are host tools.`;

export const DRAFTING_RULES = `Drafting rules:
- Request the narrowest tools and paths the task needs; every \`use\` rule must be needed by a \`do\` step.
- Every tool called with \`do\` must be covered by a \`use\` rule and by the policy's allow list.
- Never request a tool the policy denies, and repeat the policy's deny rules in the task's \`deny\` line.
- Checks must be mechanically checkable with the condition forms above.
- Use \`make\` only to generate an artifact (text, a diff, a summary), never for side effects.
- Put \`confirm before file.write\` (and before any other writing tool) in the contract, and never write before the checks that validate what is written.
- End with a structured \`return\`, usually an object such as {status: "done", patch: patch}.
- For a code fix: run the tests, read the relevant files, make a diff, check it is a valid diff that touches only the target files, write it, run the tests again, check they pass.
- For a review: read the diff or files, make the review, check it, return it; request no write tools.`;

export const EXAMPLE_CONTRACTS = [
  `task fix_failing_test v0

goal "Fix the failing test with the smallest safe change."

use tests.run, file.read, file.write
deny network.*, secrets.read
confirm before file.write

need test_cmd: list[str]
need target_files: list[file]

budget calls=8

do tests.run(cmd=test_cmd) -> failure

do file.read(paths=target_files) -> sources

make patch: diff from failure, sources with:
  - fix the failing test with the smallest change
  - do not touch files outside target_files

check patch is valid diff

check patch touches only target_files

do file.write(diff=patch)

do tests.run(cmd=test_cmd) -> final

check final.passed

return {
  status: "fixed",
  patch: patch
}
`,
  `task review_diff v0

goal "Review the current diff and list concrete problems."

use git.diff
deny file.write, network.*, secrets.read

need paths: list[file]

budget calls=3

do git.diff(paths=paths) -> changes

make review: markdown from changes with:
  - list each problem with the file and line it concerns
  - say "no problems found" when there are none

check review has "##"

return {
  review: review
}
`,
];

export interface PolicyContext {
  /** Path shown to the model. */
  path: string;
  /** The policy file's text, verbatim. */
  text: string;
  /** Effective rules after composing `extends` (JSON policies), for the model's benefit. */
  allow: string[];
  deny: string[];
}

export function draftSystemPrompt(policy?: PolicyContext): string {
  const parts = [
    'You draft AEX task contracts: small, checkable programs that bound what an AI agent may do. ' +
      'Output only the AEX contract text — no Markdown code fences, no explanations before or after.',
    LANGUAGE_SUMMARY,
    DRAFTING_RULES,
  ];
  if (policy) {
    parts.push(
      `Active policy (${policy.path}). The contract must not request anything outside its allow list and must repeat its deny rules:\n\n` +
        `${policy.text.trimEnd()}\n\n` +
        `Effective allow rules: ${policy.allow.length ? policy.allow.join(', ') : '(none: no tool may be requested)'}\n` +
        `Effective deny rules: ${policy.deny.length ? policy.deny.join(', ') : '(none)'}`,
    );
  } else {
    parts.push('No policy is active; still request only what the task needs.');
  }
  parts.push(`Example contracts:\n\n${EXAMPLE_CONTRACTS.join('\n---\n\n')}`);
  return parts.join('\n\n');
}

/** `LINE:COL CODE message`, each distinct problem once. */
export function uniqueDiagnosticLines(diagnostics: Diagnostic[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of diagnostics) {
    const line = `line ${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`;
    const key = `${d.code}|${d.line}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(line);
  }
  return out;
}

export function draftUserMessage(request: string, retry?: { previous: string; diagnostics: Diagnostic[] }): string {
  if (!retry) return request;
  const problems = uniqueDiagnosticLines(retry.diagnostics.filter((d) => d.severity === 'error'));
  return (
    `${request}\n\n` +
    `Your previous draft was:\n\n${retry.previous.trimEnd()}\n\n` +
    `The AEX compiler rejected it with these problems:\n${problems.map((p) => `- ${p}`).join('\n')}\n\n` +
    'Fix every problem and output the whole corrected contract, nothing else.'
  );
}
