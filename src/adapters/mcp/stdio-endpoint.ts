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
  /** Encoded messages not yet written (see flushOutgoing). */
  private outgoing = '';
  /** The pending flush (a later flush of what is written now supersedes an older one). */
  private flushMark: object | undefined;
  /** Whether `outgoing` holds a message that is not a response. */
  private outgoingHasOthers = false;
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
    if (this.outputGone()) throw new Error('stream closed');
    // Serialised now (the message as it is at this moment is what goes out), written with
    // whatever else is sent in this turn of the event loop.
    const line = encode(message);
    if (message.method === undefined && this.outgoingHasOthers) {
      // A response never shares a write with a notification or request before it, and
      // follows it only after the reader has had its turn: an SDK peer handles
      // notifications a moment later than responses, and a progress notification handled
      // after its call's response finds the call already finished.
      this.flushOutgoing();
      this.outgoing = line;
      this.scheduleFlush(queueMicrotask);
      return;
    }
    if (message.method !== undefined) this.outgoingHasOthers = true;
    this.outgoing += line;
    if (this.flushMark === undefined) this.scheduleFlush(process.nextTick);
  }

  private scheduleFlush(later: (fn: () => void) => void): void {
    const mark = {};
    this.flushMark = mark;
    later(() => {
      if (this.flushMark === mark) this.flushOutgoing();
    });
  }

  private outputGone(): boolean {
    const out = this.output as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
    return out.destroyed === true || out.writableEnded === true;
  }

  /**
   * Everything sent since the last flush, in one write. It runs on process.nextTick: after
   * the code that is running (a whole read chunk of calls judged, a batch of answers relayed)
   * and before the event loop looks for I/O again, so a lone message waits for no timer or
   * poll, and 64 answers arriving together cost one write(2) instead of 64.
   */
  private readonly flushOutgoing = (): void => {
    this.flushMark = undefined;
    const text = this.outgoing;
    this.outgoing = '';
    this.outgoingHasOthers = false;
    // A closed pipe: the other side is gone, which its close reports.
    if (text === '' || this.outputGone()) return;
    this.output.write(text);
  };

  async close(): Promise<void> {
    this.flushOutgoing();
    if (this.options.endOutputOnClose) {
      try {
        this.output.end();
      } catch {
        /* already closed */
      }
    }
  }
}
