// Kept apart from main.ts so `aex help` (the cac program) can show the gate's usage
// without loading the gate, and the gate can print it without loading cac.

export const GATE_USAGE = `Usage: aex gate [--policy FILE] [--contract FILE] [--allow-no-policy] [--defer-allow]

Claude Code PreToolUse hook. Reads the hook input (JSON) on stdin and answers with a
hookSpecificOutput decision on stdout:
  allow  the policy permits the call (explicit, names the policy)
  deny   denied, not allowed, over budget, or no policy found
  ask    the policy says "confirm before" this tool
Malformed input, an invalid policy or an internal error exit with code 2 and the
reason on stderr, which blocks the call.

Options:
  --policy FILE      policy file (.aex or .json); default: .aex/policy.aex or
                     aex.policy.aex in the project root (CLAUDE_PROJECT_DIR, else
                     the outermost folder above the hook's cwd that holds one)
  --contract FILE    task contract narrowing the policy (SPEC §6.3)
  --allow-no-policy  allow calls when no policy is found (default: deny)
  --defer-allow      print nothing on allow, leaving Claude Code's own prompts in charge
  -h, --help         show this help

Budgets and audit logs live outside the project, in $AEX_STATE_DIR (default
$XDG_STATE_HOME/aex or ~/.local/state/aex), under projects/<sha256 of the root>/.

Settings (.claude/settings.json):
  {"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "aex gate"}]}]}}
`;
