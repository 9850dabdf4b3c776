// The newline-framed stdio side of the proxy: the client on the proxy's own stdin and
// stdout, or the upstream on its child process's pipes. One message per line; a line
// that does not parse, or is over the size limit, is reported as a framing problem.

import { DEFAULT_MAX_MESSAGE_BYTES, encode, LineSplitter } from './framing.js';
import type { JsonRpcMessage, MessageEndpoint } from './endpoint.js';

export interface StdioEndpointOptions {
  maxMessageBytes?: number;
  /** Whether close() ends the output stream (the upstream's stdin; never the proxy's own stdout). */
  endOutputOnClose?: boolean;
}

export class StdioEndpoint implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onproblem?: MessageEndpoint['onproblem'];
  private closed = false;
  private readonly lines: LineSplitter;
  private readonly limit: number;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    private readonly options: StdioEndpointOptions = {},
  ) {
    this.limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.lines = new LineSplitter(
      (line) => this.line(line),
      (info) => this.onproblem?.({ kind: 'oversize', limit: this.limit, ...info }),
      this.limit,
    );
  }

  private line(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.onproblem?.({ kind: 'parse_error', excerpt: line.slice(0, 200) });
      return;
    }
    this.onmessage?.(parsed);
  }

  async start(): Promise<void> {
    this.input.on('data', (chunk: Buffer | string) => this.lines.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    const ended = () => {
      if (this.closed) return;
      this.closed = true;
      this.lines.flush();
      this.onclose?.();
    };
    this.input.on('end', ended);
    this.input.on('close', ended);
    this.input.on('error', (err: Error) => {
      this.onerror?.(err);
      ended();
    });
    this.output.on('error', (err: Error) => this.onerror?.(err));
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const out = this.output as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
    if (out.destroyed || out.writableEnded) throw new Error('stream closed');
    out.write(encode(message));
  }

  async close(): Promise<void> {
    if (this.options.endOutputOnClose) {
      try {
        this.output.end();
      } catch {
        /* already closed */
      }
    }
  }
}
