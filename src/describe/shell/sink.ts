// Collects the actions of one command line in call order. File effects of one simple
// command are gathered into one file.read and one file.write action (paths and reach),
// so a refusal can name them together; network effects are one action per target.

import type { Action, ActionPath, Unresolved } from '../types.js';
import type { ShellWord } from './words.js';

export class ActionSink {
  readonly actions: Action[] = [];

  push(action: Action): void {
    this.actions.push(action);
  }

  /** A shell.exec action for a simple command's words. */
  exec(words: readonly ShellWord[], unresolved?: Unresolved[]): Action {
    const action = execAction(words, unresolved);
    this.actions.push(action);
    return action;
  }
}

function execAction(words: readonly ShellWord[], unresolved?: Unresolved[]): Action {
  const argv = words.map((w) => w.arg);
  const action: Action = {
    cap: 'shell.exec',
    argv,
    command: words.map((w) => (w.literal !== undefined ? w.literal : w.text)).join(' '),
  };
  const first = argv[0];
  if (typeof first === 'string') action.program = first;
  if (unresolved && unresolved.length > 0) action.unresolved = dedupe(unresolved);
  return action;
}

/** An unresolved shell.exec action standing for commands AEX cannot see. */
export function hiddenCommand(text: string, why: string, what = 'command'): Action {
  return { cap: 'shell.exec', argv: [], command: text, unresolved: [{ what, why }] };
}

function dedupe(list: Unresolved[]): Unresolved[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    const key = `${u.what}\0${u.why}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** File and network effects of one simple command, flushed as actions after its shell.exec. */
export class EffectSet {
  private readPaths: ActionPath[] = [];
  private readReach: ActionPath[] = [];
  private writePaths: ActionPath[] = [];
  private writeReach: ActionPath[] = [];
  private readonly others: Action[] = [];

  read(path: ActionPath, reach = false): void {
    (reach ? this.readReach : this.readPaths).push(path);
  }

  write(path: ActionPath, reach = false): void {
    (reach ? this.writeReach : this.writePaths).push(path);
  }

  add(action: Action): void {
    this.others.push(action);
  }

  flush(sink: ActionSink): void {
    if (this.readPaths.length || this.readReach.length) sink.push(fileAction('file.read', this.readPaths, this.readReach));
    if (this.writePaths.length || this.writeReach.length) sink.push(fileAction('file.write', this.writePaths, this.writeReach));
    for (const action of this.others) sink.push(action);
    this.readPaths = [];
    this.readReach = [];
    this.writePaths = [];
    this.writeReach = [];
    this.others.length = 0;
  }
}

function fileAction(cap: string, paths: ActionPath[], reach: ActionPath[]): Action {
  const action: Action = { cap };
  if (paths.length) action.paths = paths;
  if (reach.length) action.reach = reach;
  return action;
}
