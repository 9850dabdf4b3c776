// Every exit code AEX ends with, in one table: the code uses these names instead of
// numbers, and scripts/gen-cli-docs.mjs prints the table in docs/cli.md.
//
// A leaf module (no imports): the gate bundle, the proxy and the CLI all read it.

export const EXIT = {
  /** The command did what was asked: the run succeeded, the call is allowed, the file is valid. */
  ok: 0,
  /** Refused, invalid or failed: a blocked run, a contract out of policy, a failing check, a user mistake. */
  failed: 1,
  /** A usage mistake of a command that reports 1 for a failed result, or the blocking answer of a hook. */
  usage: 2,
  /** `aex run` / `aex resume`: the run paused at a confirmation and can be resumed. */
  paused: 3,
  /** A bug in AEX: `error internal: …` (set AEX_DEBUG=1 for the stack). */
  internal: 70,
  /** `aex proxy`: the upstream MCP server could not be started. */
  notStarted: 127,
  /** Ended by SIGINT (Ctrl-C). */
  interrupted: 130,
  /** Ended by SIGTERM. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ExitCodeRow {
  code: number;
  name: keyof typeof EXIT;
  meaning: string;
  /** Where the meaning depends on the command, what it means there. */
  perCommand?: Record<string, string>;
}

/** The table docs/cli.md prints: code, meaning, and what differs per command. */
export const EXIT_CODE_TABLE: readonly ExitCodeRow[] = [
  { code: EXIT.ok, name: 'ok', meaning: 'success: the command did what was asked' },
  {
    code: EXIT.failed,
    name: 'failed',
    meaning: 'refused, invalid or failed; or a user mistake (unknown option, missing file, bad value), printed as one line `error MESSAGE`',
    perCommand: {
      run: 'the run was blocked (a check failed, a call was refused, the budget ran out)',
      review: 'the contract is invalid or does not run under the policy',
      verify: 'the contract is not authentic or has changed since it was signed',
      'audit verify': 'the log does not verify (a broken chain or seal)',
      test: 'a policy test failed',
      'fmt --check': 'a file is not formatted',
    },
  },
  {
    code: EXIT.usage,
    name: 'usage',
    meaning: 'a usage mistake of a command whose exit 1 means a failed result; the blocking answer of a hook',
    perCommand: {
      gate: 'the hook failed closed (malformed hook input, an unreadable policy, the host went away): the host blocks the call; a decision itself is an answer with exit 0',
      test: 'a test file is broken, or there are no policy tests',
      explain: 'the call to explain cannot be read',
      grant: 'the grant cannot be made as asked (no rule, a bad duration, no person at a terminal)',
      suggest: 'no audit log given, or the policy or a log cannot be read',
    },
  },
  { code: EXIT.paused, name: 'paused', meaning: '`aex run` or `aex resume`: the run paused at a confirmation; `aex resume` continues it' },
  { code: EXIT.internal, name: 'internal', meaning: 'an internal error (a bug in AEX): `error internal: MESSAGE`; set `AEX_DEBUG=1` to print the stack' },
  { code: EXIT.notStarted, name: 'notStarted', meaning: 'the upstream MCP server could not be started', perCommand: { proxy: 'otherwise the proxy ends with the exit code of its upstream' } },
  { code: EXIT.interrupted, name: 'interrupted', meaning: 'ended by SIGINT (Ctrl-C)' },
  { code: EXIT.terminated, name: 'terminated', meaning: 'ended by SIGTERM' },
];
