// Model resolution for `aex draft` and `aex review --run` (decision D4).
// `--model PROVIDER[:MODEL]` loads a LangChain chat-model integration package lazily;
// `--model-handler MODULE` loads an ES module whose default export is either a chat
// model (anything with `invoke`) or an async function `(request) => value`.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue } from '../ir/types.js';
import type { MakeRequest, ModelHandler } from '../runtime/steps/types.js';

export class ModelError extends Error {}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** The part of a LangChain chat model AEX relies on. */
export interface ChatModelLike {
  invoke(input: unknown, options?: unknown): Promise<unknown>;
}

export type ResolvedModel =
  | { kind: 'chat'; model: ChatModelLike; label: string }
  | { kind: 'function'; fn: (request: MakeRequest) => unknown; label: string };

interface Provider {
  pkg: string;
  className: string;
  keyEnv?: string;
  modelEnv: string;
  defaultModel: string;
  extra?: Record<string, unknown>;
}

const PROVIDERS: Record<string, Provider> = {
  openai: { pkg: '@langchain/openai', className: 'ChatOpenAI', keyEnv: 'OPENAI_API_KEY', modelEnv: 'OPENAI_MODEL', defaultModel: 'gpt-4o' },
  anthropic: {
    pkg: '@langchain/anthropic',
    className: 'ChatAnthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    modelEnv: 'ANTHROPIC_MODEL',
    defaultModel: 'claude-sonnet-4-20250514',
    extra: { maxTokens: 4096 },
  },
  ollama: { pkg: '@langchain/ollama', className: 'ChatOllama', modelEnv: 'OLLAMA_MODEL', defaultModel: 'llama3.1' },
};

export const PROVIDER_NAMES = Object.keys(PROVIDERS);

function isChatModel(x: unknown): x is ChatModelLike {
  return typeof x === 'object' && x !== null && typeof (x as { invoke?: unknown }).invoke === 'function';
}

async function loadProvider(spec: string, env: NodeJS.ProcessEnv): Promise<ResolvedModel> {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim().toLowerCase();
  const explicit = colon < 0 ? '' : spec.slice(colon + 1).trim();
  const p = PROVIDERS[name];
  if (!p) throw new ModelError(`Unknown model provider "${name}". Available providers: ${PROVIDER_NAMES.join(', ')}`);
  if (p.keyEnv && !env[p.keyEnv]) throw new ModelError(`${p.keyEnv} is not set. Required for --model ${name}.`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(p.pkg)) as Record<string, unknown>;
  } catch {
    throw new ModelError(`--model ${name} needs the package ${p.pkg}: run \`npm install ${p.pkg}\``);
  }
  const Ctor = mod[p.className] as (new (fields: Record<string, unknown>) => unknown) | undefined;
  if (typeof Ctor !== 'function') throw new ModelError(`${p.pkg} does not export ${p.className}`);
  const model = explicit || env[p.modelEnv] || p.defaultModel;
  const instance = new Ctor({ model, ...(p.extra ?? {}) });
  if (!isChatModel(instance)) throw new ModelError(`${p.pkg} ${p.className} is not a chat model`);
  return { kind: 'chat', model: instance, label: `${name}:${model}` };
}

async function loadHandlerModule(file: string, cwd: string): Promise<ResolvedModel> {
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) throw new ModelError(`model handler module not found: ${abs}`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (err) {
    throw new ModelError(`cannot load model handler ${abs}: ${(err as Error).message}`);
  }
  const d = mod.default;
  if (isChatModel(d)) return { kind: 'chat', model: d, label: abs };
  if (typeof d === 'function') return { kind: 'function', fn: d as (r: MakeRequest) => unknown, label: abs };
  throw new ModelError(`model handler ${abs}: the default export must be a chat model (with invoke) or a function`);
}

/**
 * `--model-handler` wins over `--model`, which wins over AEX_MODEL. Returns undefined
 * when none is given.
 */
export async function resolveModel(opts: { model?: string; modelHandler?: string; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<ResolvedModel | undefined> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (opts.modelHandler !== undefined && opts.modelHandler !== '') return loadHandlerModule(opts.modelHandler, cwd);
  const spec = opts.model !== undefined && opts.model !== '' ? opts.model : env.AEX_MODEL;
  if (spec === undefined || spec === '') return undefined;
  return loadProvider(spec, env);
}

/** Text of a chat model's reply: a string, an AIMessage, or content parts. */
export function replyText(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (reply && typeof reply === 'object' && 'content' in reply) return contentText((reply as { content: unknown }).content);
  return contentText(reply);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  }
  return '';
}

/** Sends system + user text to a chat model and returns the reply text. */
export async function chat(model: ChatModelLike, messages: ChatMessage[]): Promise<string> {
  const reply = await model.invoke(messages.map((m) => ({ role: m.role, content: m.content })));
  return replyText(reply);
}

/** The request text of a `make` step sent to a chat model (SPEC §4.6 Rule). */
export function makeMessages(request: MakeRequest): ChatMessage[] {
  const system =
    `You produce a ${request.kind} artifact for a step of an AEX task contract. ` +
    `Output only the ${request.kind} content itself: no code fences, no commentary.`;
  const context = request.inputs.map((i) => `### ${i.name}\n${JSON.stringify(i.value, null, 2)}`).join('\n\n');
  const user = `Available context\n\n${context}\n\nInstructions\n\n${request.instructions.map((i) => `- ${i}`).join('\n')}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** A `make` handler from a resolved model. */
export function makeHandler(resolved: ResolvedModel): ModelHandler {
  if (resolved.kind === 'function') return async (request) => toJson(await resolved.fn(request));
  return async (request) => chat(resolved.model, makeMessages(request));
}
