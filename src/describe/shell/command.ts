// One simple command's words → its actions: the shell.exec action, the wrappers of
// docs/shell.md removed, the commands run by docs/shell.md commands, and the file and network
// effects of known programs (docs/shell.md).

import path from 'node:path';
import { WholeLineUnresolved, type CommandInfo, type EffectContext, type WalkState } from './state.js';
import { commandText, literalWord, type ShellWord } from './words.js';
import { EffectSet, hiddenCommand } from './sink.js';
import { knownProgram } from './programs.js';
import { programEffects } from './effects.js';
import { basesAfterCd } from './bases.js';
import { stripWrapper, WRAPPERS } from './wrappers.js';
import { RUNNERS } from './runners.js';
import { describeFind } from './find.js';
import { describeGit } from './git.js';

/** Builtins and keywords that make the whole line unresolved (docs/design.md#unresolved-parts). */
const UNSUPPORTED = new Set(['alias', 'source', '.', 'trap', 'coproc', 'enable', 'function']);

export function describeWords(words: readonly ShellWord[], state: WalkState, info: CommandInfo): void {
  if (words.length === 0) {
    if (info.environment.length > 0) state.sink.exec([], info.environment);
    return;
  }
  const first = words[0]!;
  if (first.literal === undefined) {
    state.sink.exec(words, [{ what: 'program', why: 'dynamic program' }, ...info.environment]);
    return;
  }
  const name = path.posix.basename(first.literal);
  const written = first.literal;
  if (UNSUPPORTED.has(written) || (written === 'hash' && words.some((w) => w.literal?.startsWith('-') && w.literal.includes('p')))) {
    throw new WholeLineUnresolved(`unsupported: ${written}`);
  }

  const wrapper = WRAPPERS[name];
  if (wrapper) {
    const stripped = stripWrapper(name, words, state);
    if (stripped.kind !== 'not-wrapper') {
      // A wrapper given by path may not be the one we know: judge it as written too.
      if (written.includes('/') || stripped.kind === 'unknown') state.sink.exec(words, info.environment);
      if (stripped.kind === 'unknown') {
        state.sink.push(hiddenCommand(commandText(words), 'dynamic command'));
        return;
      }
      if (stripped.inner.length === 0) {
        if (!written.includes('/')) state.sink.exec(words, [...info.environment, ...stripped.environment]);
        for (const action of stripped.effects) state.sink.push(action);
        return;
      }
      for (const action of stripped.effects) state.sink.push(action);
      const inner = { ...state, bases: stripped.bases === undefined ? state.bases : stripped.bases };
      describeWords(stripped.inner, inner, { environment: [...info.environment, ...stripped.environment], redirects: info.redirects });
      return;
    }
  }

  if (name === '[' || name === '[[') {
    const rest = words.slice(1);
    const closing = rest[rest.length - 1]?.literal;
    const body = closing === ']' || closing === ']]' ? rest.slice(0, -1) : rest;
    state.sink.exec([literalWord('test'), ...body], info.environment);
    return;
  }

  state.sink.exec(words, info.environment);

  if (name === 'cd' || name === 'pushd' || name === 'popd') {
    changeDirectory(name, words, state);
    return;
  }
  const runner = RUNNERS[name];
  if (runner) {
    runner(words, state, info.redirects);
    return;
  }
  const spec = knownProgram(name);
  if (!spec) return;
  const effects = new EffectSet();
  let dynamicSeen = false;
  const ec: EffectContext = {
    ctx: state.ctx,
    bases: state.bases,
    effects,
    dynamic: (why) => {
      if (dynamicSeen) return;
      dynamicSeen = true;
      effects.add(hiddenCommand(commandText(words), why));
    },
  };
  if (spec.special === 'find') describeFind(words, state, ec);
  else if (spec.special === 'git') describeGit(words, state, ec);
  else programEffects(spec, words, ec);
  effects.flush(state.sink);
}

function changeDirectory(name: string, words: readonly ShellWord[], state: WalkState): void {
  if (name === 'popd') {
    state.bases = null;
    return;
  }
  const operands = words.slice(1).filter((w) => !(w.literal?.startsWith('-') && w.literal !== '-'));
  if (words.slice(1).some((w) => w.literal === undefined)) {
    state.bases = null;
    return;
  }
  if (operands.length === 0) {
    state.bases = name === 'cd' ? basesAfterCd(state.bases, '~', state.ctx) : null;
    return;
  }
  state.bases = basesAfterCd(state.bases, operands[0]!.literal, state.ctx);
}
