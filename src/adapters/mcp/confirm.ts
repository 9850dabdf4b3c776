// Asking the person to confirm a call (`confirm before …`) through the client. The
// proxy's own questions carry unguessable ids (128 random bits), and only the client's
// answer to one of those ids counts: an upstream cannot pre-answer or impersonate the
// question, and an upstream request that reuses an outstanding id is refused by the
// relay (ownsId) rather than relayed, so its answer can never be taken for ours.
//
// The question travels as `elicitation/create`: in form mode when the client declared
// form elicitation (or an empty `elicitation` object, which means form), in URL mode when
// it declared only URL mode (./confirm/url-channel.ts: a page on 127.0.0.1 where the
// person approves or declines). A client with neither cannot be asked, and a call that
// needs confirmation is refused. docs/mcp.md ("Confirmation") tells the whole story.

import { randomBytes } from 'node:crypto';
import { idKey } from './framing.js';
import type { ConfirmAnswer, ConfirmationChannel } from './confirm/channel.js';
import { urlElicitationChannel, type SendToClient, type UrlConfirmOptions } from './confirm/url-channel.js';

export type { SendToClient, UrlConfirmOptions } from './confirm/url-channel.js';
export type { ConfirmAnswer, ConfirmationChannel, ConfirmationQuestion } from './confirm/channel.js';

/** The text shown to the person; arguments beyond 500 characters are cut. */
export function confirmationText(why: string, args: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(args ?? {}) ?? '{}';
  } catch {
    shown = '{}';
  }
  if (shown.length > 500) shown = shown.slice(0, 497) + '...';
  return `AEX: ${why}. Arguments: ${shown}. Accept to allow this call, decline to refuse it.`;
}

export function newQuestionId(): string {
  return `aex-confirm-${randomBytes(16).toString('hex')}`;
}

/** Which elicitation modes a client's `elicitation` capability declares (an empty object means form). */
export function elicitationModes(capabilities: Record<string, unknown> | undefined): { form: boolean; url: boolean } {
  const el = capabilities?.elicitation;
  if (el === null || typeof el !== 'object' || Array.isArray(el)) return { form: false, url: false };
  const declared = el as Record<string, unknown>;
  const url = declared.url !== undefined;
  return { form: declared.form !== undefined || !url, url };
}

export interface ConfirmationOptions {
  /** How URL-mode questions are served and how long they wait. */
  url?: UrlConfirmOptions;
}

/**
 * Confirmation through `elicitation/create` sent to the client, in the mode the client
 * declared: form when it can, URL mode when that is all it has.
 */
export function elicitationChannel(sendToClient: SendToClient, opts: ConfirmationOptions = {}): ConfirmationChannel {
  const form = formElicitationChannel(sendToClient);
  let url: ConfirmationChannel | undefined;
  const urlChannel = () => (url ??= urlElicitationChannel(sendToClient, opts.url));
  let modes = { form: false, url: false };
  const channels = () => (url ? [form, url] : [form]);
  return {
    sawCapabilities(capabilities) {
      modes = elicitationModes(capabilities);
    },
    canAsk: () => modes.form || modes.url,
    ask(q) {
      if (modes.form) return form.ask(q);
      if (modes.url) return urlChannel().ask(q);
      return Promise.resolve('unavailable');
    },
    withdraw: (callId) => channels().some((c) => c.withdraw(callId)),
    takeAnswer: (message) => channels().some((c) => c.takeAnswer(message)),
    ownsId: (id) => channels().some((c) => c.ownsId(id)),
    closeAll() {
      for (const c of channels()) c.closeAll();
    },
  };
}

/** Confirmation through form-mode `elicitation/create` requests: the client's accept is the consent. */
export function formElicitationChannel(sendToClient: SendToClient): ConfirmationChannel {
  const open = new Map<string, { id: string; resolve: (a: ConfirmAnswer) => void }>();
  const byCall = new Map<string, string>();
  const settle = (qid: string, answer: ConfirmAnswer) => {
    const q = open.get(qid);
    if (!q) return;
    open.delete(qid);
    for (const [call, id] of byCall) if (id === qid) byCall.delete(call);
    q.resolve(answer);
  };
  return {
    ask: (q) =>
      new Promise<ConfirmAnswer>((resolve) => {
        const id = newQuestionId();
        open.set(id, { id, resolve });
        byCall.set(idKey(q.callId), id);
        sendToClient(
          {
            jsonrpc: '2.0',
            id,
            method: 'elicitation/create',
            params: { mode: 'form', message: confirmationText(q.why, q.args), requestedSchema: { type: 'object', properties: {} } },
          },
          q.callId,
        );
      }),
    withdraw(callId) {
      const qid = byCall.get(idKey(callId));
      if (qid === undefined) return false;
      sendToClient({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: qid, reason: 'tool call cancelled by the client' } }, callId);
      settle(qid, 'withdrawn');
      return true;
    },
    takeAnswer(message) {
      const id = message.id;
      if (typeof id !== 'string' || !open.has(id)) return false;
      // An error reply is no consent; only an explicit accept is.
      const result = message.result as { action?: unknown } | undefined;
      const action = result && typeof result === 'object' ? result.action : undefined;
      settle(id, action === 'accept' ? 'accept' : action === 'cancel' ? 'cancel' : 'decline');
      return true;
    },
    ownsId: (id) => typeof id === 'string' && open.has(id),
    closeAll() {
      for (const qid of [...open.keys()]) settle(qid, 'unavailable');
    },
  };
}
