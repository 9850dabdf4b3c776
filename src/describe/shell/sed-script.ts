// A sed script can read files (`r`, `R`), write files (`w`, `W`, the `w` flag of `s`) and
// run commands (`e`, the `e` flag of `s`). This scanner reads a script far enough to find
// those; a script it cannot read is treated as one that may run anything.

import type { ShellWord } from './words.js';
import type { EffectContext } from './state.js';
import { pathFor } from './bases.js';

interface SedEffects {
  reads: string[];
  writes: string[];
  executes: boolean;
}

export function sedScriptEffects(word: ShellWord, ec: EffectContext): void {
  if (word.literal === undefined) {
    ec.dynamic('dynamic command');
    return;
  }
  const found = scanSedScript(word.literal);
  if (found === undefined || found.executes) {
    ec.dynamic('dynamic command');
    if (found === undefined) return;
  }
  const standard = new Set(['/dev/stdout', '/dev/stderr', '/dev/stdin']);
  for (const file of found.reads) if (!standard.has(file)) ec.effects.read(pathFor(file, ec.bases, ec.ctx));
  for (const file of found.writes) if (!standard.has(file)) ec.effects.write(pathFor(file, ec.bases, ec.ctx));
}

const NO_ARGUMENT = new Set(['=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F']);

/** The files and commands a sed script uses; undefined when the script cannot be read. */
export function scanSedScript(script: string): SedEffects | undefined {
  const found: SedEffects = { reads: [], writes: [], executes: false };
  let i = 0;
  const at = () => script[i];
  const skipBlanks = () => {
    while (i < script.length && (script[i] === ' ' || script[i] === '\t')) i++;
  };
  const restOfLine = (): string => {
    const end = script.indexOf('\n', i);
    const text = script.slice(i, end < 0 ? script.length : end);
    i = end < 0 ? script.length : end;
    return text;
  };
  /** Reads up to the unescaped delimiter; false when it is missing. */
  const delimited = (delimiter: string): boolean => {
    while (i < script.length) {
      const c = script[i++]!;
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === delimiter) return true;
      if (c === '\n' && delimiter !== '\n') return false;
    }
    return false;
  };
  const address = (): boolean => {
    const c = at();
    if (c === undefined) return true;
    if (c >= '0' && c <= '9') {
      while (i < script.length && /[0-9~]/.test(script[i]!)) i++;
    } else if (c === '$') {
      i++;
    } else if (c === '/' || c === '\\') {
      i++;
      const delimiter = c === '\\' ? script[i++] : '/';
      if (delimiter === undefined || !delimited(delimiter)) return false;
      while (at() === 'I' || at() === 'M') i++;
    }
    return true;
  };

  while (i < script.length) {
    const c = at()!;
    if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '}') {
      i++;
      continue;
    }
    if (c === '#') {
      restOfLine();
      continue;
    }
    if (!address()) return undefined;
    skipBlanks();
    if (at() === ',') {
      i++;
      skipBlanks();
      if (at() === '+' || at() === '~') i++;
      if (!address()) return undefined;
    }
    skipBlanks();
    while (at() === '!') {
      i++;
      skipBlanks();
    }
    const command = script[i++];
    if (command === undefined) return undefined;
    if (command === '{' || NO_ARGUMENT.has(command)) continue;
    switch (command) {
      case 'a':
      case 'i':
      case 'c':
        // Text to the end of the line; a trailing backslash continues it.
        while (i < script.length) {
          const line = restOfLine();
          if (!line.endsWith('\\')) break;
          i++;
        }
        continue;
      case ':':
      case 'b':
      case 't':
      case 'T':
      case 'v':
        while (i < script.length && script[i] !== ';' && script[i] !== '\n') i++;
        continue;
      case 'q':
      case 'Q':
      case 'l':
      case 'L':
        skipBlanks();
        while (i < script.length && /[0-9]/.test(script[i]!)) i++;
        continue;
      case 'r':
      case 'R':
        skipBlanks();
        found.reads.push(restOfLine());
        continue;
      case 'w':
      case 'W':
        skipBlanks();
        found.writes.push(restOfLine());
        continue;
      case 'e':
        found.executes = true;
        restOfLine();
        continue;
      case 'y': {
        const delimiter = script[i++];
        if (delimiter === undefined || delimiter === '\n' || delimiter === '\\') return undefined;
        if (!delimited(delimiter) || !delimited(delimiter)) return undefined;
        continue;
      }
      case 's': {
        const delimiter = script[i++];
        if (delimiter === undefined || delimiter === '\n' || delimiter === '\\') return undefined;
        if (!delimited(delimiter) || !delimited(delimiter)) return undefined;
        while (i < script.length) {
          const flag = script[i]!;
          if (flag === 'w') {
            i++;
            skipBlanks();
            found.writes.push(restOfLine());
            break;
          }
          if (flag === 'e') found.executes = true;
          else if (!/[0-9gpiImM]/.test(flag)) break;
          i++;
        }
        continue;
      }
      default:
        return undefined;
    }
  }
  return found;
}
