// Shared helpers for the shell describer tests: a scratch project as cwd, and short
// views of the actions (argv of each shell.exec, paths of file actions).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeShell } from '../../../src/describe/shell/index.js';
import type { Action, DescribeContext } from '../../../src/describe/types.js';

export const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aex-shell-')));
export const home = path.join(root, 'home');
fs.mkdirSync(home, { recursive: true });
export const ctx: DescribeContext = { root, cwd: root, home };

export function describe_(line: string, context: DescribeContext = ctx): Promise<Action[]> {
  return describeShell(line, context);
}

/** The argv of every shell.exec action, unknown words as their text in angle brackets. */
export async function execs(line: string, context: DescribeContext = ctx): Promise<string[]> {
  const actions = await describeShell(line, context);
  return actions
    .filter((a) => a.cap === 'shell.exec')
    .map((a) => (a.argv ?? []).map((w) => (typeof w === 'string' ? w : `<${w.text}>`)).join(' '));
}

export function unresolvedWhys(actions: Action[]): string[] {
  return actions.flatMap((a) => (a.unresolved ?? []).map((u) => u.why));
}

/** Every path form of file actions with capability `cap` (paths and reach). */
export function forms(actions: Action[], cap: string, kind: 'paths' | 'reach' = 'paths'): string[] {
  return actions.filter((a) => a.cap === cap).flatMap((a) => (a[kind] ?? []).flatMap((p) => (p.unresolved ? [`?${p.given}`] : p.forms)));
}

export function hosts(actions: Action[]): string[] {
  return actions.filter((a) => a.cap.startsWith('network.')).map((a) => a.host ?? `?${a.unresolved?.[0]?.why}`);
}

export const at = (p: string) => path.join(root, p);

/** True when the line is exactly one unresolved shell.exec action. */
export function isWholeLineUnresolved(actions: Action[]): boolean {
  return actions.length === 1 && actions[0]!.cap === 'shell.exec' && (actions[0]!.unresolved?.length ?? 0) > 0 && (actions[0]!.argv ?? []).length === 0;
}
