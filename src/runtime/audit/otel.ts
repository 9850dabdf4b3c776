// OpenTelemetry sink (`--otlp-endpoint URL`). Each audit event becomes one zero-length
// span, both
//  - on the global tracer of @opentelemetry/api (so a host that registered an SDK gets
//    them through its own exporter), and
//  - in an OTLP/JSON payload POSTed to the endpoint when the run ends. No SDK or exporter
//    package is installed here; without one the API's global tracer is a no-op, so the
//    direct OTLP/HTTP JSON export is what reaches a collector from the CLI.
// @opentelemetry/api is imported lazily: runs without an endpoint never load it.

import { randomBytes } from 'node:crypto';
import { VERSION } from '../../version.js';
import type { AuditEvent, AuditSink } from './types.js';

type Attr = { key: string; value: { stringValue: string } };

function attrValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function nanos(iso: string): string {
  const ms = Date.parse(iso);
  return (BigInt(Number.isNaN(ms) ? Date.now() : ms) * 1_000_000n).toString();
}

/** The OTLP/HTTP traces URL for an endpoint: a bare origin gets `/v1/traces` appended. */
export function tracesUrl(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.toString();
}

export class OtelSink implements AuditSink {
  private readonly traceId = randomBytes(16).toString('hex');
  private readonly spans: unknown[] = [];
  private tracer: { startSpan(name: string, opts?: unknown): { end(t?: unknown): void } } | undefined;
  private ready: Promise<void>;
  /** Set after close(): undefined when the export succeeded, else why it did not. */
  exportError: string | undefined;

  constructor(
    readonly endpoint: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    tracesUrl(endpoint); // validate early
    this.ready = import('@opentelemetry/api')
      .then((api) => {
        this.tracer = api.trace.getTracer('@aex/runtime', VERSION);
      })
      .catch(() => {
        this.tracer = undefined;
      });
  }

  /** Resolves once @opentelemetry/api is loaded (spans emitted before are still exported via OTLP). */
  init(): Promise<void> {
    return this.ready;
  }

  write(e: AuditEvent): void {
    const attributes: Attr[] = [];
    const apiAttrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'ts') continue;
      const key = k === 'event' ? 'aex.event' : `aex.${k}`;
      const value = attrValue(v);
      attributes.push({ key, value: { stringValue: value } });
      apiAttrs[key] = value;
    }
    const t = nanos(e.ts);
    this.spans.push({
      traceId: this.traceId,
      spanId: randomBytes(8).toString('hex'),
      name: e.event,
      kind: 1,
      startTimeUnixNano: t,
      endTimeUnixNano: t,
      attributes,
    });
    if (this.tracer) {
      const when = new Date(e.ts);
      this.tracer.startSpan(e.event, { attributes: apiAttrs, startTime: when }).end(when);
    }
  }

  payload(): unknown {
    return {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'aex-runtime' } }] },
          scopeSpans: [{ scope: { name: '@aex/runtime', version: VERSION }, spans: this.spans }],
        },
      ],
    };
  }

  async close(): Promise<void> {
    await this.ready;
    try {
      const res = await this.fetchImpl(tracesUrl(this.endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.payload()),
        signal: AbortSignal.timeout(10_000),
      });
      this.exportError = res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      this.exportError = (err as Error).message;
    }
  }
}
