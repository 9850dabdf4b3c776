// The drafting loop of `aex draft` (docs/cli.md): ask the model, normalise its
// answer, compile it against the active policy (AEX015 is an error), and on errors ask
// again with the previous draft and the de-duplicated diagnostics. The model is never
// trusted: what is saved is judged by the compiler, and an invalid draft says so.

import { compileSource, type Diagnostic } from '../compiler/index.js';
import type { PermissionLayer } from '../rules/types.js';
import { draftSystemPrompt, draftUserMessage, type PolicyContext } from './draft-prompt.js';
import type { ChatMessage, DraftModel } from './model.js';
import { AexError } from '../errors.js';

const STOP_WORDS = new Set(
  'the a an in to for of this that and or is it with on at by from as be my its'.split(' '),
);

export const FALLBACK_NAME = 'generated_task';

/** Task name from a prompt: lower-case words without stop words, first four, `_`-joined, ≤ 30 chars. */
export function deriveTaskName(prompt: string): string {
  const words = prompt
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, '')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w));
  const name = words.slice(0, 4).join('_').slice(0, 30).replace(/_+$/, '');
  return name === '' ? FALLBACK_NAME : name;
}

/** Removes one leading ```lang line and one trailing ``` line, then trims. */
export function stripFences(text: string): string {
  let t = text.replace(/\r\n?/g, '\n').trim();
  const lines = t.split('\n');
  if (lines.length > 0 && /^```[\w-]*\s*$/.test(lines[0]!)) {
    lines.shift();
    if (lines.length > 0 && /^```\s*$/.test(lines[lines.length - 1]!)) lines.pop();
    t = lines.join('\n').trim();
  }
  return t;
}

const HEADER = /^(task|agent)[ \t]+[A-Za-z0-9_-]+[ \t]+v[0-9][0-9.]*[ \t]*(#.*)?$/m;

/** Replaces the first `task|agent NAME vX` line with `task NAME v0`, or prepends one. */
export function forceHeader(text: string, name: string): string {
  if (HEADER.test(text)) return text.replace(HEADER, `task ${name} v0`);
  return `task ${name} v0\n\n${text}`;
}

export interface DraftAttempt {
  /** The user message sent for this attempt. */
  request: string;
  /** The model's raw answer. */
  answer: string;
  /** The normalised contract text that was compiled. */
  text: string;
  diagnostics: Diagnostic[];
  ok: boolean;
}

export interface DraftResult {
  text: string;
  diagnostics: Diagnostic[];
  ok: boolean;
  attempts: DraftAttempt[];
}

export class EmptyDraftError extends AexError {
  constructor() {
    super('Model returned empty contract. Check model configuration and API key.');
  }
}

export interface DraftOptions {
  /** The text sent to the model (the prompt, or a plan file's text). */
  request: string;
  name: string;
  model: DraftModel;
  maxRetries: number;
  policy?: { layer: PermissionLayer; context: PolicyContext };
  /** Called after each attempt (progress output). */
  onAttempt?: (attempt: DraftAttempt, index: number, total: number) => void;
}

export async function draftContract(opts: DraftOptions): Promise<DraftResult> {
  const system = draftSystemPrompt(opts.policy?.context);
  const attempts: DraftAttempt[] = [];
  const total = opts.maxRetries + 1;
  let previous: DraftAttempt | undefined;
  for (let i = 0; i < total; i++) {
    const request = draftUserMessage(opts.request, previous ? { previous: previous.text, diagnostics: previous.diagnostics } : undefined);
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: request },
    ];
    const answer = await opts.model(messages);
    const body = stripFences(answer ?? '');
    if (body === '') throw new EmptyDraftError();
    const text = forceHeader(body, opts.name).trim() + '\n';
    const compiled = compileSource(text, opts.policy ? { policy: opts.policy.layer } : {});
    const attempt: DraftAttempt = { request, answer, text, diagnostics: compiled.diagnostics, ok: compiled.ok };
    attempts.push(attempt);
    opts.onAttempt?.(attempt, i + 1, total);
    if (compiled.ok) break;
    previous = attempt;
  }
  const last = attempts[attempts.length - 1]!;
  return { text: last.text, diagnostics: last.diagnostics, ok: last.ok, attempts };
}
