// An MCP SDK transport (start/send/close, onmessage/onclose/onerror) seen as one of the
// proxy's message endpoints (../endpoint.ts). The SDK transport parses and validates
// messages itself; the relay still judges every one of them.

import type { JsonRpcMessage, MessageEndpoint } from '../endpoint.js';

/** The part of the SDK's Transport interface the proxy uses. */
export interface SdkTransport {
  start(): Promise<void>;
  send(message: never, options?: unknown): Promise<void>;
  close(): Promise<void>;
  onmessage?: (message: never, extra?: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
}

export class SdkEndpoint implements MessageEndpoint {
  onmessage?: (message: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Sees every message before the relay does (the HTTP upstream learns the protocol version from it). */
  protected observe?: (message: JsonRpcMessage, direction: 'in' | 'out') => void;
  private closed = false;

  constructor(protected readonly transport: SdkTransport) {
    transport.onmessage = ((message: JsonRpcMessage) => {
      this.observe?.(message, 'in');
      this.onmessage?.(message);
    }) as never;
    transport.onclose = () => {
      if (this.closed) return;
      this.closed = true;
      this.onclose?.();
    };
    transport.onerror = (err) => this.onerror?.(err);
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  async send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void> {
    this.observe?.(message, 'out');
    await this.transport.send(message as never, options);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
