import { existsSync } from 'node:fs';
// Model resolution (docs/cli.md). `--model PROVIDER[:MODEL]` goes through LangChain chat
// model integration packages loaded lazily; `--model-handler MODULE` accepts a function
// `(request) => value` or a LangChain chat model (anything with `invoke`). Every failure
// here is a ModelSetupError raised before the run starts.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue, MakeRequest, ModelHandler } from '../steps/types.js';
import { makeSystemPrompt, makeUserPrompt } from './prompt.js';
import { AexError } from '../../errors.js';

export class ModelSetupError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSetupError';
  }
}

interface ProviderSpec {
  pkg: string;
  className: string;
  keyEnv?: string;
  modelEnv?: string;
  defaultModel: string;
  options(model: string, env: NodeJS.ProcessEnv): Record<string, unknown>;
}

export const PROVIDERS: Record<string, ProviderSpec> = {
  openai: {
    pkg: '@langchain/openai',
    className: 'ChatOpenAI',
    keyEnv: 'OPENAI_API_KEY',
    modelEnv: 'OPENAI_MODEL',
    defaultModel: 'gpt-4o',
    options: (model, env) => ({ model, apiKey: env.OPENAI_API_KEY }),
  },
  anthropic: {
    pkg: '@langchain/anthropic',
    className: 'ChatAnthropic',
    keyEnv: 'ANTHROPIC_API_KEY',
    modelEnv: 'ANTHROPIC_MODEL',
    defaultModel: 'claude-sonnet-4-20250514',
    options: (model, env) => ({ model, apiKey: env.ANTHROPIC_API_KEY, maxTokens: 4096 }),
  },
  ollama: {
    pkg: '@langchain/ollama',
    className: 'ChatOllama',
    modelEnv: 'OLLAMA_MODEL',
    defaultModel: 'llama3.1',
    options: (model, env) => ({ model, ...(env.OLLAMA_BASE_URL ? { baseUrl: env.OLLAMA_BASE_URL } : {}) }),
  },
};

/** Anything with `invoke(messages)` returning a message with `content`. */
export interface ChatModelLike {
  invoke(input: unknown, options?: unknown): Promise<unknown>;
}

function isChatModel(v: unknown): v is ChatModelLike {
  return v !== null && typeof v === 'object' && typeof (v as { invoke?: unknown }).invoke === 'function';
}

/** The text of a chat model reply (string content, or the text parts of a content array). */
export function replyText(reply: unknown): string {
  const content = reply !== null && typeof reply === 'object' && 'content' in reply ? (reply as { content: unknown }).content : reply;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  throw new Error('the model reply has no text content');
}

/** Wraps a LangChain chat model: one system + one user message, the reply's text is the value. */
export function chatModelHandler(model: ChatModelLike): ModelHandler {
  return async (request: MakeRequest): Promise<JsonValue> => {
    const reply = await model.invoke([
      { role: 'system', content: makeSystemPrompt(request.kind) },
      { role: 'user', content: makeUserPrompt(request) },
    ]);
    return replyText(reply);
  };
}

/** Parses `PROVIDER[:MODEL]`. */
export function parseModelSpec(spec: string): { provider: string; model?: string } {
  const i = spec.indexOf(':');
  if (i < 0) return { provider: spec.trim().toLowerCase() };
  const model = spec.slice(i + 1).trim();
  return { provider: spec.slice(0, i).trim().toLowerCase(), ...(model ? { model } : {}) };
}

/**
 * Builds the LangChain chat model for `--model PROVIDER[:MODEL]` (docs/cli.md): the integration
 * package is imported only now, and a missing package or key is a ModelSetupError that
 * says what to install or set. Shared by `make` steps and `aex draft`.
 */
export async function loadProviderChatModel(spec: string, env: NodeJS.ProcessEnv = process.env): Promise<ChatModelLike> {
  const { provider, model } = parseModelSpec(spec);
  const p = PROVIDERS[provider];
  if (!p) {
    throw new ModelSetupError(`Unknown model provider "${provider}". Available providers: ${Object.keys(PROVIDERS).join(', ')}`);
  }
  if (p.keyEnv && !env[p.keyEnv]) {
    throw new ModelSetupError(`${p.keyEnv} is not set. Required for --model ${provider}.`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(p.pkg)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ModelSetupError(`--model ${provider} needs the package ${p.pkg}, which is not installed. Run: npm install ${p.pkg}`);
    }
    throw new ModelSetupError(`Could not load ${p.pkg}: ${(err as Error).message}`);
  }
  const Ctor = mod[p.className] as (new (opts: Record<string, unknown>) => ChatModelLike) | undefined;
  if (typeof Ctor !== 'function') throw new ModelSetupError(`${p.pkg} does not export ${p.className}.`);
  const name = model ?? (p.modelEnv ? env[p.modelEnv] : undefined) ?? p.defaultModel;
  const instance = new Ctor(p.options(name, env));
  if (!instance || typeof (instance as { invoke?: unknown }).invoke !== 'function') {
    throw new ModelSetupError(`${p.pkg} ${p.className} is not a chat model.`);
  }
  return instance;
}

/** Resolves `--model PROVIDER[:MODEL]` to a handler, or throws ModelSetupError. */
export async function resolveProviderModel(spec: string, env: NodeJS.ProcessEnv = process.env): Promise<ModelHandler> {
  return chatModelHandler(await loadProviderChatModel(spec, env));
}

/** The default export of a `--model-handler MODULE` (shared by `make` steps and `aex draft`). */
export async function importHandlerDefault(file: string, cwd: string): Promise<unknown> {
  const abs = path.resolve(cwd, file);
  if (!existsSync(abs)) throw new ModelSetupError(`Model handler module not found: ${abs}`);
  try {
    return ((await import(pathToFileURL(abs).href)) as { default?: unknown }).default;
  } catch (err) {
    throw new ModelSetupError(`Cannot load model handler module ${file}: ${(err as Error).message}`);
  }
}

/** Loads `--model-handler MODULE`: its default export is a function or a chat model. */
export async function loadModelHandlerModule(file: string, cwd: string = process.cwd()): Promise<ModelHandler> {
  const d = await importHandlerDefault(file, cwd);
  if (typeof d === 'function') {
    const fn = d as (request: MakeRequest) => unknown;
    return async (request) => (await fn(request)) as JsonValue;
  }
  if (isChatModel(d)) return chatModelHandler(d);
  throw new ModelSetupError(
    `Model handler module ${file} must export default a function (request) => value or a chat model with invoke().`,
  );
}

/** `--model-handler` wins over `--model` (and `--model` over AEX_MODEL). Undefined when none. */
export async function resolveModel(opts: { model?: string; handler?: string; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<ModelHandler | undefined> {
  const env = opts.env ?? process.env;
  if (opts.handler) return loadModelHandlerModule(opts.handler, opts.cwd);
  const spec = opts.model ?? env.AEX_MODEL;
  if (spec) return resolveProviderModel(spec, env);
  return undefined;
}
