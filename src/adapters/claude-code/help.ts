// Kept apart from the gate so `aex help` (the cac program) can show the gate's usage
// without loading the gate, and the gate can print it without loading cac.

export const GATE_USAGE = `Usage: aex gate [--host HOST] [--policy FILE] [--contract FILE] [--allow-no-policy]
                [--defer-allow] [--server URL [--token-file FILE]]

The pre-tool hook of an agent host. Reads the host's hook payload (JSON) on stdin and
answers in the host's own protocol (docs/hosts.md):
  claude-code (default)  PreToolUse, hookSpecificOutput allow / deny / ask / defer
  codex, gemini, cursor  their pre-tool hooks, where this build has them
Malformed input, an invalid policy or an internal error give the host's blocking answer
(exit 2 with the reason on stderr for Claude Code).

Options:
  --host HOST        claude-code, codex, gemini or cursor (default claude-code)
  --policy FILE      policy file (.aex or .json); default: .aex/policy.aex or
                     aex.policy.aex in the project root (the host's project folder,
                     else the outermost folder above the hook's cwd that holds one)
  --contract FILE    task contract narrowing the policy
  --allow-no-policy  allow calls when no policy is found (default: deny)
  --defer-allow      print nothing on allow, leaving the host's own prompts in charge
  --server URL       ask a running \`aex serve\` (http://127.0.0.1:PORT) instead of
                     deciding here; an unreachable server blocks the call
  --token-file FILE  the bearer token of that server
  -h, --help         show this help

Budgets and audit logs live outside the project, in $AEX_STATE_DIR (default
$XDG_STATE_HOME/aex or ~/.local/state/aex), under projects/<sha256 of the root>/.

Install with \`aex init --claude-code\`: it writes a command that does not depend on PATH
and blocks when the gate cannot start.
`;
