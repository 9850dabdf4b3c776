// OpenTelemetry sink (`--otlp URL`): each audit event becomes one OpenTelemetry log record,
// exported by the official SDK (@opentelemetry/sdk-logs with the OTLP/HTTP exporter, JSON
// encoding) to a collector. The SDK is imported only when this sink is opened, so a run
// without `--otlp` never loads it. The records are a copy for dashboards; the tamper-evident
// record stays the JSON Lines file (docs/audit.md).

import { VERSION } from '../../version.js';
import type { AuditEvent, AuditSink } from './types.js';

/** The OTLP/HTTP logs URL for an endpoint: a bare origin gets `/v1/logs` appended. */
export function logsUrl(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) URL: ${endpoint}`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/logs';
  return u.toString();
}

type AttrValue = string | number | boolean;

/** Top-level fields as `aex.NAME` attributes: scalars as they are, objects as JSON text. */
export function recordAttributes(e: AuditEvent): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'ts' || v === undefined) continue;
    out[`aex.${k}`] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return out;
}

// The SDK's shapes, as far as this sink uses them (the packages are loaded at run time).
interface OtelLogger {
  emit(record: { eventName?: string; timestamp?: Date; severityNumber?: number; severityText?: string; body?: string; attributes?: Record<string, AttrValue> }): void;
}
interface OtelProvider {
  getLogger(name: string, version?: string): OtelLogger;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** OpenTelemetry severities: refusals are warnings, everything else information. */
const WARN = 13;
const INFO = 9;
const WARNINGS = new Set(['tool.denied', 'budget.exhausted', 'confirm.denied', 'run.rejected', 'tool.failed', 'make.failed', 'check.failed']);

export interface OtelSinkOptions {
  /** Milliseconds before an export is given up (10 s). */
  timeoutMillis?: number;
}

export class OtelSink implements AuditSink {
  readonly url: string;
  private provider: OtelProvider | undefined;
  private logger: OtelLogger | undefined;
  private readonly early: AuditEvent[] = [];
  private ready: Promise<void> | undefined;
  /** Set after close(): undefined when every export succeeded, else why one did not. */
  exportError: string | undefined;

  constructor(
    readonly endpoint: string,
    private readonly opts: OtelSinkOptions = {},
  ) {
    this.url = logsUrl(endpoint); // a bad URL fails here, before anything runs
  }

  /** Loads the SDK and builds the exporter; events written before are exported too. */
  init(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  private async load(): Promise<void> {
    const [sdk, otlp] = await Promise.all([import('@opentelemetry/sdk-logs'), import('@opentelemetry/exporter-logs-otlp-http')]);
    const exporter = new otlp.OTLPLogExporter({ url: this.url, timeoutMillis: this.opts.timeoutMillis ?? 10_000 });
    // The SDK reports a failed export only to its diagnostics; this wrapper keeps the reason.
    const watched = {
      export: (records: Parameters<typeof exporter.export>[0], done: Parameters<typeof exporter.export>[1]) =>
        exporter.export(records, (result) => {
          if (result.code !== 0) this.exportError ??= result.error?.message ?? 'export failed';
          done(result);
        }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush(),
    };
    const provider = new sdk.LoggerProvider({
      // The resource is the SDK's default (OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES apply);
      // the scope below names AEX and its version.
      processors: [new sdk.BatchLogRecordProcessor({ exporter: watched, scheduledDelayMillis: 1000, maxQueueSize: 65_536, maxExportBatchSize: 512 })],
    });
    this.provider = provider as unknown as OtelProvider;
    this.logger = this.provider.getLogger('@aex/audit', VERSION);
    for (const e of this.early.splice(0)) this.emit(e);
  }

  write(e: AuditEvent): void {
    if (this.logger) this.emit(e);
    else this.early.push(e);
  }

  private emit(e: AuditEvent): void {
    const ms = Date.parse(e.ts);
    this.logger!.emit({
      eventName: e.event,
      timestamp: new Date(Number.isNaN(ms) ? Date.now() : ms),
      severityNumber: WARNINGS.has(e.event) ? WARN : INFO,
      severityText: WARNINGS.has(e.event) ? 'WARN' : 'INFO',
      body: JSON.stringify(e),
      attributes: recordAttributes(e),
    });
  }

  async close(): Promise<void> {
    try {
      await this.init();
      await this.provider!.forceFlush();
      await this.provider!.shutdown();
    } catch (err) {
      this.exportError ??= (err as Error).message;
    }
  }
}
