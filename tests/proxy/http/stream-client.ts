// An SDK client transport over a pair of in-process streams, standing in for a host that
// talks to `aex proxy` on stdio (no process spawned for the proxy itself).

import { PassThrough } from 'node:stream';

export class StreamPairTransport {
  onmessage?: (m: unknown) => void;
  onclose?: () => void;
  onerror?: (e: Error) => void;
  /** What the proxy reads as its stdin. */
  readonly toProxy = new PassThrough();
  /** What the proxy writes as its stdout. */
  readonly fromProxy = new PassThrough();
  private buf = '';

  async start(): Promise<void> {
    this.fromProxy.on('data', (c: Buffer) => {
      this.buf += c.toString('utf8');
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (line.trim() !== '') this.onmessage?.(JSON.parse(line));
      }
    });
    this.fromProxy.on('end', () => this.onclose?.());
  }

  async send(m: unknown): Promise<void> {
    this.toProxy.write(JSON.stringify(m) + '\n');
  }

  async close(): Promise<void> {
    this.toProxy.end();
  }
}
