// Commands that run commands (docs/shell.md). Their own shell.exec action is already in
// the sink; each runner adds the actions of what it runs: an argv (sudo CMD…), a literal
// command string parsed recursively (sh -c '…', eval, su -c), or an unresolved action
// when the command cannot be known (`curl … | sh`, `sh -c "$X"`).

import type { SyntaxNode as Node } from './syntax.js';
import type { WalkState } from './state.js';
import { scoped } from './state.js';
import { commandText, type ShellWord } from './words.js';
import { hiddenCommand } from './sink.js';
import { literalStdin } from './redirects.js';
import { literalWordPath } from './bases.js';
import { assignmentProblems } from './assignments.js';
import { literalWord } from './words.js';

type Runner = (words: readonly ShellWord[], state: WalkState, redirects: readonly Node[]) => void;

const SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'fish'];

export const RUNNERS: Record<string, Runner> = {
  sudo: (words, state) => runPrivileged(words, state, SUDO),
  doas: (words, state) => runPrivileged(words, state, DOAS),
  su: runSu,
  eval: runEval,
  watch: runWatch,
  flock: runFlock,
  setsid: (words, state) => runArgvAfter(words, state, ['-c', '--ctty', '-f', '--fork', '-w', '--wait'], [], 0),
  chroot: (words, state) => runArgvAfter(words, state, ['--skip-chdir'], ['--userspec', '--groups'], 1, true),
  ...Object.fromEntries(SHELLS.map((shell) => [shell, runShell] as const)),
};

function hidden(words: readonly ShellWord[], state: WalkState, why = 'dynamic command'): void {
  state.sink.push(hiddenCommand(commandText(words), why));
}

/**
 * Walks a runner's leading options (after the runner's own name) up to `--` or the first
 * operand and returns where the operands start. `option` says how many following words an
 * option consumes as its value, or false when the runner does not know it; an unknown or
 * unreadable option returns undefined, since what follows it cannot be told apart.
 */
function leadingOptionsEnd(words: readonly ShellWord[], option: (text: string) => number | false): number | undefined {
  let i = 1;
  for (; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) return undefined;
    if (text === '--') return i + 1;
    if (!text.startsWith('-')) break;
    const values = option(text);
    if (values === false) return undefined;
    i += values;
  }
  return i;
}

/** A literal command string is parsed; anything else is an unresolved inner command. */
function runString(word: ShellWord | undefined, state: WalkState, ownShell: boolean): void {
  if (!word || word.literal === undefined) {
    state.sink.push(hiddenCommand(word?.text ?? '', 'dynamic command'));
    return;
  }
  if (ownShell) state.recurse.nested(word.literal, scoped(state));
  else state.recurse.nested(word.literal, state);
}

interface PrivilegedSpec {
  valued: string[];
  flags: string[];
  /** Options that open an interactive shell when no command follows. */
  shell: string[];
  /** Options that edit the operands instead of running them (sudo -e). */
  edit: string[];
  /** Options after which nothing runs (sudo -l, -v, -k). */
  nothing: string[];
}

const SUDO: PrivilegedSpec = {
  valued: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-R', '--user', '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--chroot'],
  flags: ['-A', '-b', '-E', '-H', '-n', '-P', '-S', '-B', '-N', '--askpass', '--background', '--preserve-env', '--set-home', '--non-interactive', '--preserve-groups', '--stdin', '--bell', '--no-update', '--'],
  shell: ['-s', '-i', '--shell', '--login'],
  edit: ['-e', '--edit'],
  nothing: ['-l', '-v', '-k', '-K', '-V', '--list', '--validate', '--reset-timestamp', '--remove-timestamp', '--version', '--help', '-h'],
};

const DOAS: PrivilegedSpec = { valued: ['-u', '-C', '-a'], flags: ['-n', '-L'], shell: ['-s'], edit: [], nothing: [] };

function runPrivileged(words: readonly ShellWord[], state: WalkState, spec: PrivilegedSpec): void {
  let shell = false;
  let edit = false;
  let nothing = false;
  const i = leadingOptionsEnd(words, (text) => {
    const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
    if (spec.valued.includes(name)) return text.includes('=') ? 0 : 1;
    if (spec.shell.includes(name)) shell = true;
    else if (spec.edit.includes(name)) edit = true;
    else if (spec.nothing.includes(name)) nothing = true;
    else if (!spec.flags.includes(name)) {
      // Clustered short flags (-nE) or an attached value (-uroot).
      const short = '-' + text[1];
      if (spec.valued.includes(short)) return 0;
      const cluster = text.slice(1).split('').map((c) => '-' + c);
      if (!cluster.every((c) => spec.flags.includes(c) || spec.shell.includes(c))) return false;
      if (cluster.some((c) => spec.shell.includes(c))) shell = true;
    }
    return 0;
  });
  if (i === undefined) return hidden(words, state);
  let rest = words.slice(i);
  const environment = [];
  while (rest[0]?.literal !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].literal)) {
    const text = rest[0].literal;
    environment.push(...assignmentProblems([{ name: text.slice(0, text.indexOf('=')), text }]));
    rest = rest.slice(1);
  }
  if (edit) {
    const paths = rest.map((w) => literalWordPath(w, state.bases, state.ctx));
    if (paths.length) state.sink.push({ cap: 'file.write', paths });
    return;
  }
  if (rest.length === 0) {
    // No command: an interactive shell, or sudo's own default, is unknown; -l/-v/-k run nothing.
    if (shell || !nothing) hidden(words, state);
    return;
  }
  state.recurse.words(rest, scoped(state), { environment, redirects: [] });
}

function runSu(words: readonly ShellWord[], state: WalkState): void {
  let command: ShellWord | undefined;
  let hasCommand = false;
  for (let i = 1; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) return hidden(words, state);
    if (text === '-c' || text === '--command' || text === '--session-command') {
      command = words[++i];
      hasCommand = true;
    } else if (text.startsWith('--command=') || text.startsWith('--session-command=')) {
      command = literalWord(text.slice(text.indexOf('=') + 1));
      hasCommand = true;
    } else if (['-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'].includes(text)) {
      i++;
    }
  }
  if (!hasCommand) return hidden(words, state);
  runString(command, state, true);
}

function runEval(words: readonly ShellWord[], state: WalkState): void {
  const rest = words.slice(1);
  if (rest.length === 0) return;
  if (rest.some((w) => w.literal === undefined)) return hidden(words, state);
  // eval runs in the current shell: a `cd` inside it moves the rest of the line.
  state.recurse.nested(rest.map((w) => w.literal).join(' '), state);
}

function runWatch(words: readonly ShellWord[], state: WalkState): void {
  const valued = ['-n', '--interval', '-q', '--equexit'];
  let exec = false;
  const i = leadingOptionsEnd(words, (text) => {
    if (text === '-x' || text === '--exec') exec = true;
    return valued.includes(text) ? 1 : 0;
  });
  if (i === undefined) return hidden(words, state);
  const rest = words.slice(i);
  if (rest.length === 0) return;
  if (exec) {
    state.recurse.words(rest, scoped(state), { environment: [], redirects: [] });
    return;
  }
  if (rest.some((w) => w.literal === undefined)) return hidden(words, state);
  state.recurse.nested(rest.map((w) => w.literal).join(' '), scoped(state));
}

function runFlock(words: readonly ShellWord[], state: WalkState): void {
  const valued = ['-w', '--timeout', '-E', '--conflict-exit-code'];
  let command: ShellWord | undefined;
  let i = 1;
  const isCommandOption = (text: string | undefined) => text === '-c' || text === '--command';
  for (; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) return hidden(words, state);
    if (!text.startsWith('-')) break;
    if (isCommandOption(text)) command = words[++i];
    else if (valued.includes(text)) i++;
  }
  const lock = words[i];
  if (!lock) return;
  if (lock.literal !== undefined && /^[0-9]+$/.test(lock.literal)) return;
  state.sink.push({ cap: 'file.write', paths: [literalWordPath(lock, state.bases, state.ctx)] });
  let rest = words.slice(i + 1);
  if (isCommandOption(rest[0]?.literal)) {
    command = rest[1];
    rest = [];
  }
  if (command) return runString(command, state, true);
  if (rest.length > 0) state.recurse.words(rest, scoped(state), { environment: [], redirects: [] });
}

/** `setsid CMD…`, `chroot DIR CMD…`: an argv after options and fixed operands. */
function runArgvAfter(words: readonly ShellWord[], state: WalkState, flags: string[], valued: string[], fixed: number, unknownBase = false): void {
  const i = leadingOptionsEnd(words, (text) => {
    const name = text.split('=')[0]!;
    if (valued.includes(name)) return text.includes('=') ? 0 : 1;
    return flags.includes(name) ? 0 : false;
  });
  if (i === undefined) return hidden(words, state);
  const rest = words.slice(i + fixed);
  if (rest.length === 0) return hidden(words, state);
  const inner = scoped(state);
  if (unknownBase) inner.bases = null;
  state.recurse.words(rest, inner, { environment: [], redirects: [] });
}

/**
 * sh/bash/zsh/dash/ksh: `-c STRING` runs the string; a script operand is an ordinary
 * program (it reads the script); with neither, the shell runs its standard input — a
 * literal here-document or here-string is parsed, anything else is unknown.
 */
function runShell(words: readonly ShellWord[], state: WalkState, redirects: readonly Node[]): void {
  let hasC = false;
  let readsStdin = false;
  let i = 1;
  for (; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) return hidden(words, state);
    if (text === '--' || text === '-') {
      i++;
      break;
    }
    if (text.startsWith('--')) {
      if (text === '--rcfile' || text === '--init-file') i++;
      continue;
    }
    if (!text.startsWith('-') && !text.startsWith('+')) break;
    for (const c of text.slice(1)) {
      if (c === 'c') hasC = true;
      else if (c === 's') readsStdin = true;
      else if (c === 'o' || c === 'O') i++;
    }
  }
  const operands = words.slice(i);
  if (hasC) return runString(operands[0], state, true);
  if (operands.length > 0 && !readsStdin) {
    const script = operands[0]!;
    const attr = literalWordPath(script, state.bases, state.ctx);
    state.sink.push({ cap: 'file.read', paths: [attr] });
    return;
  }
  const stdin = literalStdin(redirects, state);
  if (stdin.text !== undefined) {
    state.recurse.nested(stdin.text, scoped(state));
    return;
  }
  hidden(words, state);
}
