// Per-connection protocol negotiation for one proxy session: the client endpoint and
// the upstream endpoint are each wrapped, so either side may speak 2025-11-25 or
// 2026-07-28 while the relay judges one session model. The two wrappers share a
// private `_meta` key (128 random bits, new for each session) through which a request
// translated from a server's `input_required` names the call it belongs to; no server
// or client can guess it, so none can attach its own requests to another call.

import type { AuditEventData } from '../../../runtime/kernel/types.js';
import type { MessageEndpoint } from '../endpoint.js';
import type { RelayOptions } from '../relay.js';
import { elicitationChannel, type ConfirmationChannel, type UrlConfirmOptions } from '../confirm.js';
import { privateId, sendRelated } from './era.js';
import { ModernClientEndpoint } from './modern-client.js';
import { NegotiatingUpstream, type NegotiatingUpstreamOptions } from './modern-upstream.js';

export { ModernClientEndpoint, type ClientEra } from './modern-client.js';
export { NegotiatingUpstream, DEFAULT_PROBE_TIMEOUT_MS, type UpstreamEra } from './modern-upstream.js';
export { MODERN_VERSION, LEGACY_VERSION } from './era.js';

export interface NegotiatedSession {
  client: ModernClientEndpoint;
  upstream: NegotiatingUpstream;
  /** The relay's confirmation channel: its questions name the call they confirm. */
  confirmation: NonNullable<RelayOptions['confirmation']>;
}

export interface NegotiationOptions {
  probeTimeoutMs?: number;
  audit?: (event: AuditEventData) => void;
  /** URL-mode confirmation (pages, deadline); the client's era is filled in here. */
  urlConfirm?: Omit<UrlConfirmOptions, 'modern'>;
}

/** Wraps both endpoints of one proxy session. */
export function negotiateSession(client: MessageEndpoint, upstream: MessageEndpoint, opts: NegotiationOptions = {}): NegotiatedSession {
  const relationKey = privateId('aex-related');
  const audit = opts.audit;
  const clientSide = new ModernClientEndpoint(client, { relationKey, ...(audit ? { audit } : {}) });
  const upOpts: NegotiatingUpstreamOptions = { relationKey, ...(audit ? { audit } : {}) };
  if (opts.probeTimeoutMs !== undefined) upOpts.probeTimeoutMs = opts.probeTimeoutMs;
  const urlConfirm: UrlConfirmOptions = { ...opts.urlConfirm, modern: () => clientSide.era() === 'modern' };
  return { client: clientSide, upstream: new NegotiatingUpstream(upstream, upOpts), confirmation: relatedConfirmation(clientSide, urlConfirm) };
}

/**
 * The default confirmation (elicitation/create), with each question sent as belonging
 * to the call it confirms: a 2026-07-28 client gets it as that call's `input_required`
 * result, a 2025-era one as a request on that call's stream (Streamable HTTP).
 */
export function relatedConfirmation(client: MessageEndpoint, urlConfirm?: UrlConfirmOptions): NonNullable<RelayOptions['confirmation']> {
  return (sendToClient) => {
    let asking: Parameters<ConfirmationChannel['withdraw']>[0] | undefined;
    // A URL-mode question goes out once its page is served (later than ask()): it names its call itself.
    const base = elicitationChannel(
      (m, relatedTo) => {
        const related = relatedTo ?? asking;
        if (related === undefined) return sendToClient(m);
        sendRelated(client, m, related).catch(() => {});
      },
      urlConfirm ? { url: urlConfirm } : {},
    );
    return {
      ...base,
      ask(q) {
        // elicitationChannel sends its question synchronously inside ask().
        asking = q.callId;
        try {
          return base.ask(q);
        } finally {
          asking = undefined;
        }
      },
    };
  };
}
