// The model behind `aex draft` (docs/cli.md). Provider table, spec parsing and reply
// extraction are the runtime's (src/runtime/models); drafting needs the chat model
// itself — a system prompt and a conversation — rather than a `make` handler, so the
// resolution to a model object is done here.

import type { JsonValue } from '../ir/types.js';
import { ModelSetupError, importHandlerDefault, loadProviderChatModel, replyText, type ChatModelLike } from '../runtime/models/index.js';
import type { MakeRequest } from '../runtime/steps/types.js';

export { ModelSetupError } from '../runtime/models/index.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sends a conversation and returns the reply text. */
export type DraftModel = (messages: ChatMessage[]) => Promise<string>;

function isChatModel(v: unknown): v is ChatModelLike {
  return v !== null && typeof v === 'object' && typeof (v as { invoke?: unknown }).invoke === 'function';
}

/** A drafting model from a LangChain chat model (anything with `invoke`). */
export function chatDraftModel(model: ChatModelLike): DraftModel {
  return async (messages) => replyText(await model.invoke(messages.map((m) => ({ role: m.role, content: m.content }))));
}

/**
 * A plain-function handler gets a `make`-style request: kind "aex", the system prompt
 * and the conversation as inputs, and returns the contract text.
 */
function fromFunction(fn: (request: MakeRequest) => unknown): DraftModel {
  return async (messages) => {
    const request: MakeRequest = {
      bind: 'contract',
      kind: 'aex',
      instructions: ['Write the AEX task contract described in the last user message.'],
      inputs: messages.map((m, i) => ({ name: `${m.role}_${i}`, value: m.content as JsonValue })),
      line: 0,
    };
    const out = await fn(request);
    return typeof out === 'string' ? out : replyText(out);
  };
}

async function providerModel(spec: string, env: NodeJS.ProcessEnv): Promise<DraftModel> {
  return chatDraftModel(await loadProviderChatModel(spec, env));
}

async function handlerModule(file: string, cwd: string): Promise<DraftModel> {
  const d = await importHandlerDefault(file, cwd);
  if (isChatModel(d)) return chatDraftModel(d);
  if (typeof d === 'function') return fromFunction(d as (r: MakeRequest) => unknown);
  throw new ModelSetupError(`Model handler module ${file} must export default a chat model with invoke() or a function (request) => value.`);
}

/** `--model-handler` wins over `--model`, which wins over AEX_MODEL; undefined when none is given. */
export async function resolveDraftModel(opts: { model?: string; handler?: string; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<DraftModel | undefined> {
  const env = opts.env ?? process.env;
  if (opts.handler) return handlerModule(opts.handler, opts.cwd ?? process.cwd());
  const spec = opts.model || env.AEX_MODEL;
  if (spec) return providerModel(spec, env);
  return undefined;
}
