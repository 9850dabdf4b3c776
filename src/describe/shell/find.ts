// find (docs/shell.md): its start points are searched (reach); -delete writes them;
// -exec, -execdir, -ok and -okdir run a command for each file found (docs/shell.md), with `{}`
// standing for an unknown path. An unknown word in the expression may be any of these.

import type { WalkState } from './state.js';
import { scoped } from './state.js';
import { literalWord, unknownWord, type ShellWord } from './words.js';
import { wordPath, type Bases } from './bases.js';
import type { EffectContext } from './state.js';
import { applyEffect } from './effects.js';
import { ActionSink } from './sink.js';

const GLOBAL_OPTIONS = new Set(['-H', '-L', '-P']);
const EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const WRITES_FILE = new Set(['-fprint', '-fprint0', '-fls', '-fprintf']);

export function describeFind(words: readonly ShellWord[], state: WalkState, ec: EffectContext): void {
  let i = 1;
  for (; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) break;
    if (GLOBAL_OPTIONS.has(text) || text.startsWith('-O')) continue;
    if (text === '-D') {
      i++;
      continue;
    }
    break;
  }
  const starts: ShellWord[] = [];
  for (; i < words.length; i++) {
    const word = words[i]!;
    const text = word.literal;
    if (text !== undefined && (text.startsWith('-') || text === '(' || text === '!' || text === ')' || text === ',')) break;
    if (text === undefined && starts.length > 0) break;
    starts.push(word);
  }
  if (starts.length === 0) starts.push(literalWord('.'));
  for (const start of starts) applyEffect('reach', start, true, ec);

  const deleteReach = () => {
    for (const start of starts) {
      const { attr } = wordPath(start, ec.bases, ec.ctx);
      ec.effects.write(attr, true);
    }
  };
  const inner: { command: ShellWord[]; execdir: boolean }[] = [];
  for (; i < words.length; i++) {
    const word = words[i]!;
    const text = word.literal;
    if (text === undefined) {
      // Could be -delete, -exec …: both are possible.
      ec.dynamic('dynamic command');
      deleteReach();
      continue;
    }
    if (text === '-delete') deleteReach();
    else if (WRITES_FILE.has(text) && words[i + 1]) {
      applyEffect('write', words[i + 1]!, false, ec);
      i += text === '-fprintf' ? 2 : 1;
    } else if (EXEC.has(text)) {
      const command: ShellWord[] = [];
      let j = i + 1;
      for (; j < words.length; j++) {
        const t = words[j]!.literal;
        if (t === ';' || (t === '+' && words[j - 1]?.literal?.includes('{}'))) break;
        command.push(t !== undefined && t.includes('{}') ? unknownWord(words[j]!.text, 'one') : words[j]!);
      }
      i = j;
      if (command.length > 0) inner.push({ command, execdir: text.endsWith('dir') });
    }
  }
  // The inner commands' actions come after find's own effects.
  const after = new ActionSink();
  for (const { command, execdir } of inner) {
    // -execdir runs in each found file's directory: relative paths there are unresolved.
    const innerState = { ...scoped(state), sink: after, bases: execdir ? (null as Bases) : state.bases };
    state.recurse.words(command, innerState, { environment: [], redirects: [] });
  }
  for (const action of after.actions) ec.effects.add(action);
}
