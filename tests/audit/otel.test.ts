// The OpenTelemetry sink through the official SDK, against a collector stand-in on loopback
// that decodes the OTLP/HTTP JSON it receives.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { OtelSink, logsUrl, recordAttributes } from '../../src/runtime/audit/otel.js';
import { createAuditLog } from '../../src/runtime/audit/emitter.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpRecord {
  eventName?: string;
  timeUnixNano?: string | number;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpValue;
  attributes?: Array<{ key: string; value: OtlpValue }>;
}
interface OtlpLogs {
  resourceLogs: Array<{ scopeLogs: Array<{ scope?: { name?: string }; logRecords: OtlpRecord[] }> }>;
}

let server: Server | undefined;
afterEach(() => server?.close());

/** A collector stand-in: records each POST's path and decoded JSON body. */
async function collector(status = 200): Promise<{ url: string; posts: Array<{ path: string; type: string; body: OtlpLogs }> }> {
  const posts: Array<{ path: string; type: string; body: OtlpLogs }> = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', type: String(req.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpLogs });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, posts };
}

const attr = (r: OtlpRecord, key: string) => {
  const v = r.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : v?.boolValue);
};

describe('OpenTelemetry logs through the SDK', () => {
  it('one log record per audit event, with the provenance fields as attributes', async () => {
    const c = await collector();
    const sink = new OtelSink(c.url);
    await sink.init();
    const log = createAuditLog([sink]);
    log.emit({ event: 'run.started', agent: 'a' });
    log.emit({ event: 'tool.denied', tool: 'shell.exec', reason: 'denied', rule: 'deny shell.exec:"rm -rf *"', source: '.aex/policy.aex:7', layer: 'policy', action: { cap: 'shell.exec', command: 'rm -rf build' } });
    log.emit({ event: 'run.finished', status: 'blocked' });
    await log.close();
    expect(sink.exportError).toBeUndefined();
    expect(c.posts.map((p) => p.path)).toEqual(['/v1/logs']);
    expect(c.posts[0]!.type).toContain('application/json');
    const scope = c.posts[0]!.body.resourceLogs[0]!.scopeLogs[0]!;
    expect(scope.scope?.name).toBe('@aex/audit');
    const records = scope.logRecords;
    expect(records.map((r) => r.eventName)).toEqual(['run.started', 'tool.denied', 'run.finished']);
    const denied = records[1]!;
    expect(denied.severityText).toBe('WARN');
    expect(attr(denied, 'aex.rule')).toBe('deny shell.exec:"rm -rf *"');
    expect(attr(denied, 'aex.source')).toBe('.aex/policy.aex:7');
    expect(attr(denied, 'aex.layer')).toBe('policy');
    expect(attr(denied, 'aex.seq')).toBe(2);
    expect(JSON.parse(attr(denied, 'aex.action') as string)).toEqual({ cap: 'shell.exec', command: 'rm -rf build' });
    expect(JSON.parse(denied.body!.stringValue!)).toMatchObject({ seq: 2, event: 'tool.denied' });
    expect(Number(BigInt(String(denied.timeUnixNano)) / 1_000_000n)).toBeGreaterThan(Date.parse('2025-01-01'));
  });

  it('events written before the SDK loaded are exported too', async () => {
    const c = await collector();
    const sink = new OtelSink(c.url);
    sink.write({ ts: new Date().toISOString(), seq: 1, event: 'run.started' });
    await sink.close();
    expect(c.posts[0]!.body.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => r.eventName)).toEqual(['run.started']);
  });

  it('a collector that refuses, or nobody listening, is an export error, never a throw', async () => {
    const c = await collector(500);
    const refused = new OtelSink(c.url, { timeoutMillis: 2000 });
    refused.write({ ts: new Date().toISOString(), seq: 1, event: 'x' });
    await refused.close();
    expect(refused.exportError).toBeTruthy();
    const nobody = new OtelSink('http://127.0.0.1:9/', { timeoutMillis: 2000 });
    nobody.write({ ts: new Date().toISOString(), seq: 1, event: 'x' });
    await nobody.close();
    expect(nobody.exportError).toBeTruthy();
  });

  it('URLs: a bare origin gets /v1/logs, a path is kept, other schemes are refused', () => {
    expect(logsUrl('http://h:4318')).toBe('http://h:4318/v1/logs');
    expect(logsUrl('http://h:4318/custom')).toBe('http://h:4318/custom');
    expect(() => new OtelSink('file:///etc/passwd')).toThrow();
    expect(() => new OtelSink('not a url')).toThrow();
    expect(recordAttributes({ ts: 't', seq: 1, event: 'e', ok: true, n: null })).toEqual({ 'aex.seq': 1, 'aex.event': 'e', 'aex.ok': true, 'aex.n': 'null' });
  });
});
