// The file and network effects of a known program (docs/shell.md), driven by the table in
// programs.json. Where the words leave a doubt (an unknown word that may be an option, an
// unknown operand whose position is unclear) every effect it could have is added: more
// actions can only make a decision stricter.

import fs from 'node:fs';
import path from 'node:path';
import { unresolvedPath } from '../paths.js';
import type { Effect, ProgramSpec } from './programs.js';
import { parseArgs } from './options.js';
import { literalWord, type ShellWord } from './words.js';
import { wordPath, pathFor } from './bases.js';
import type { EffectContext } from './state.js';
import { hostAction, proxyAction, remoteFileName, remoteHost, urlEffect } from './network.js';
import { sedScriptEffects } from './sed-script.js';

/** Adds the effects of `words` (argv[0] first) under the program's table entry. */
export function programEffects(spec: ProgramSpec, words: readonly ShellWord[], ec: EffectContext): void {
  const parsed = parseArgs(words.slice(1), spec, spec.first !== undefined);
  const has = (test: (o: NonNullable<(typeof parsed.options)[number]['spec']>, values: ShellWord[]) => boolean) =>
    parsed.options.some((o) => o.spec !== undefined && test(o.spec, o.values));
  const maybe = parsed.unknownOption;
  const recursive =
    spec.recursive === true || maybe || has((o, v) => o.recursive === true || (o.recursiveValue !== undefined && v[0]?.literal === o.recursiveValue));
  const writes = has((o) => o.write === true);
  const listening = has((o) => o.listen === true);
  let target: ShellWord | undefined;
  let outputGiven = false;
  let outputDir: ShellWord | undefined;
  let remoteName = false;

  for (const option of parsed.options) {
    const o = option.spec;
    if (!o) continue;
    if (o.dynamic) ec.dynamic('dynamic command');
    if (o.dynamicOperands) ec.effects.read(unresolvedPath(`(${option.name})`, 'operands from a file'));
    if (o.remoteName) remoteName = true;
    if (o.sshOption) sshOption(option.values[0], ec);
    if (o.sedScript && option.values[0]) sedScriptEffects(option.values[0], ec);
    const value = option.values[option.values.length - 1];
    if (o.target && value) target = value;
    if (!o.effect || !value) continue;
    if (o.effect === 'write') outputGiven = true;
    if (o.effect === 'reach-write') outputDir = value;
    applyEffect(o.effect, value, false, ec);
  }
  if (listening) return;

  const explicit = has((o) => o.explicitPattern === true);
  const skip = maybe || explicit ? 0 : (spec.skip ?? 0);
  if (spec.sedScript && skip > 0 && parsed.operands[0]) sedScriptEffects(parsed.operands[0], ec);
  if (spec.sedScript && (maybe || parsed.operands.length === 0) && !explicit) ec.dynamic('dynamic command');
  let operands = parsed.operands.slice(skip);
  if (has((o) => o.stopOperands === true)) operands = operands.slice(0, 1);

  if (spec.assignments) {
    for (const word of operands) assignmentOperand(spec.assignments, word, ec);
    return;
  }
  if (operands.length === 0) {
    const fallback = spec.defaultOperand ?? (recursive ? spec.defaultWhenRecursive : undefined);
    if (fallback !== undefined) operands = [literalWord(fallback)];
  }
  if (target) {
    applyDestination(target, operands, recursive, true, ec);
  }
  const allWrite = has((o) => o.allWrite === true);
  const noTargetDirectory = has((o) => o.noTargetDirectory === true);
  const ambiguous = operands.some((w) => typeof w.arg !== 'string' && w.arg.unknown === 'many');
  const positional = (index: number): Effect[] => {
    if (allWrite) return ['write'];
    if (ambiguous) return [...new Set([spec.operands, spec.first, spec.second, target ? undefined : spec.last].filter((e): e is Effect => e !== undefined))];
    if (index === 0 && spec.first) return [spec.first];
    if (index === 1 && spec.second) return [spec.second];
    if (!target && spec.last && operands.length >= 2 && index === operands.length - 1) return [spec.last];
    return [spec.operands];
  };
  const sources = operands.filter((_w, i) => !(positional(i).includes('dest') && positional(i).length === 1));
  operands.forEach((word, index) => {
    for (let effect of positional(index)) {
      if (effect === 'dest') {
        applyDestination(word, sources, recursive, !noTargetDirectory && !ambiguous, ec);
        continue;
      }
      if (writes && effect === 'read') effect = 'write';
      if (writes && effect === 'remote-read') effect = 'remote-write';
      if (maybe && hasWriteOption(spec) && effect === 'read') applyEffect('write', word, recursive, ec);
      if (effect === 'url' && spec.downloads && !outputGiven) download(word, outputDir, recursive, ec);
      if (effect === 'url' && remoteName) {
        const name = remoteFileName(word);
        const dir = outputDir?.literal;
        if (name === undefined || (outputDir && dir === undefined)) ec.effects.write(unresolvedPath(word.text, 'remote file name'));
        else ec.effects.write(pathFor(dir ? path.join(dir, name) : name, ec.bases, ec.ctx));
      }
      applyEffect(effect, word, recursive, ec, has((o) => o === spec.options['-g'] || o === spec.options['--globoff']));
    }
  });
}

function hasWriteOption(spec: ProgramSpec): boolean {
  return Object.values(spec.options).some((o) => o.write === true || o.effect === 'write');
}

export function applyEffect(effect: Effect, word: ShellWord, recursive: boolean, ec: EffectContext, globOff = false): void {
  const { effects } = ec;
  switch (effect) {
    case 'none':
      return;
    case 'read':
    case 'write':
    case 'reach':
    case 'reach-write': {
      if (word.pipe) return;
      const { attr, reach } = wordPath(word, ec.bases, ec.ctx);
      const asReach = reach || recursive || effect === 'reach' || effect === 'reach-write';
      if (effect === 'read' || effect === 'reach') effects.read(attr, asReach);
      else effects.write(attr, asReach);
      return;
    }
    case 'dest':
      applyDestination(word, [], recursive, true, ec);
      return;
    case 'url':
      urlEffect(word, effects, ec.bases, ec.ctx, !globOff);
      return;
    case 'host':
      effects.add(hostAction('network.connect', word));
      return;
    case 'proxy':
      effects.add(proxyAction(word));
      return;
    case 'remote-read':
    case 'remote-write': {
      if (word.literal !== undefined) {
        const host = remoteHost(word.literal);
        if (host !== undefined) {
          effects.add(host === null ? { cap: 'network.connect', unresolved: [{ what: 'host', why: 'invalid host' }] } : { cap: 'network.connect', host });
          return;
        }
      } else {
        effects.add({ cap: 'network.connect', unresolved: [{ what: 'host', why: 'dynamic host' }] });
      }
      applyEffect(effect === 'remote-read' ? 'read' : 'write', word, recursive, ec);
      return;
    }
    case 'read-at': {
      if (word.literal === undefined) {
        effects.read(unresolvedPath(word.text, 'dynamic path'));
        return;
      }
      if (word.literal.startsWith('@') && word.literal !== '@-') effects.read(pathFor(word.literal.slice(1), ec.bases, ec.ctx));
      return;
    }
    case 'form-at': {
      if (word.literal === undefined) {
        effects.read(unresolvedPath(word.text, 'dynamic path'));
        return;
      }
      const file = formFile(word.literal);
      if (file !== undefined && file !== '-') effects.read(pathFor(file, ec.bases, ec.ctx));
      return;
    }
  }
}

/** curl -F `name=@file;type=x`, `name=<file`, --data-urlencode `name@file` / `@file`. */
function formFile(value: string): string | undefined {
  const eq = value.indexOf('=');
  if (eq >= 0 && (value[eq + 1] === '@' || value[eq + 1] === '<')) return value.slice(eq + 2).split(';')[0];
  const at = value.indexOf('@');
  if (at >= 0 && (eq < 0 || at < eq)) return value.slice(at + 1);
  return undefined;
}

/**
 * A destination operand (cp, mv, install, ln): the path itself, and when it is an existing
 * directory at decision time, the path each source lands on inside it.
 */
function applyDestination(word: ShellWord, sources: readonly ShellWord[], recursive: boolean, mayBeDirectory: boolean, ec: EffectContext): void {
  const { attr, reach } = wordPath(word, ec.bases, ec.ctx);
  if (attr.unresolved || reach) {
    ec.effects.write(attr, true);
    return;
  }
  const directory = mayBeDirectory && attr.forms.some(isDirectory);
  if (!directory) {
    ec.effects.write(attr, recursive);
    return;
  }
  if (sources.length === 0) {
    ec.effects.write(attr, true);
    return;
  }
  for (const source of sources) {
    const name = source.literal !== undefined ? path.basename(source.literal) : undefined;
    if (name === undefined || name === '' || name === '.' || name === '..') {
      ec.effects.write(attr, true);
      continue;
    }
    const inside = wordPath(literalWord(path.join(word.literal!, name)), ec.bases, ec.ctx);
    ec.effects.write(inside.attr, recursive);
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function assignmentOperand(assignments: Record<string, Effect>, word: ShellWord, ec: EffectContext): void {
  if (word.literal === undefined) {
    for (const effect of new Set(Object.values(assignments))) applyEffect(effect, word, false, ec);
    return;
  }
  const eq = word.literal.indexOf('=');
  if (eq < 0) return;
  const effect = assignments[word.literal.slice(0, eq)];
  if (effect) applyEffect(effect, literalWord(word.literal.slice(eq + 1)), false, ec);
}

/** wget without -O writes the URL's file name (or, recursive, a HOST/ tree) under its prefix. */
function download(word: ShellWord, outputDir: ShellWord | undefined, recursive: boolean, ec: EffectContext): void {
  if (outputDir && outputDir.literal === undefined) return; // already an unresolved write
  const dir = outputDir?.literal ?? '.';
  if (recursive) {
    ec.effects.write(pathFor(dir, ec.bases, ec.ctx), true);
    return;
  }
  const name = remoteFileName(word) ?? 'index.html';
  ec.effects.write(pathFor(path.join(dir, name), ec.bases, ec.ctx));
}

/** ssh -o options that run local commands. */
function sshOption(value: ShellWord | undefined, ec: EffectContext): void {
  if (!value) return;
  if (value.literal === undefined) {
    ec.dynamic('dynamic command');
    return;
  }
  const key = value.literal.split(/[=\s]/)[0]!.toLowerCase();
  if (['proxycommand', 'localcommand', 'permitlocalcommand', 'knownhostscommand', 'match', 'include', 'proxyjump', 'controlpath'].includes(key)) {
    ec.dynamic('dynamic command');
  }
}
