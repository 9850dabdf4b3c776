// The confirmation pages of URL-mode elicitation: a small HTTP server on 127.0.0.1 (a
// random port, started once and only when a client that can do nothing but URL mode
// must confirm a call). Each open question has its own path, /confirm/<token>, where
// the token is 128 random bits; the page shows the call and two buttons.
//
// Only a person at that page decides: a decision is a POST to the question's path that
// carries the same token in its form, comes from the page's own origin (Origin, and
// Sec-Fetch-Site when the browser sends it) and names this server by the address it
// listens on (Host: a DNS-rebinding page cannot). A GET never changes anything (a client
// or a link preview that fetches the page decides nothing). The first valid decision
// closes the question; any later request for the token finds nothing.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { confirmPage, messagePage, type PageView } from './page-view.js';

export type PageDecision = 'approve' | 'decline';

export interface OpenConfirmation {
  /** The page's address, to be sent in the URL-mode elicitation. */
  url: string;
  /** Settles when the person decides on the page (never settles when revoked). */
  decided: Promise<PageDecision>;
  /** Closes the question: the page and its token stop working. */
  revoke(): void;
}

interface OpenQuestion {
  view: PageView;
  decide: (d: PageDecision) => void;
}

/** Form bodies are two short fields; anything longer is not ours. */
const MAX_BODY_BYTES = 4096;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;
const PATH_PREFIX = '/confirm/';

/** Headers on every answer: no framing, no caching, no referrer carrying the token, nothing loaded from elsewhere. */
const SAFE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export class ConfirmationPages {
  private server: Server | undefined;
  private starting: Promise<void> | undefined;
  private port = 0;
  private readonly open = new Map<string, OpenQuestion>();

  /** Opens a question; starts the server on first use. Rejects when it cannot listen. */
  async openConfirmation(view: PageView): Promise<OpenConfirmation> {
    await this.start();
    const token = randomBytes(16).toString('base64url');
    let decide!: (d: PageDecision) => void;
    const decided = new Promise<PageDecision>((resolve) => (decide = resolve));
    this.open.set(token, { view, decide });
    return { url: `${this.origin()}${PATH_PREFIX}${token}`, decided, revoke: () => void this.open.delete(token) };
  }

  /** Questions still open (for tests of boundedness). */
  openCount(): number {
    return this.open.size;
  }

  /** The origin the pages are served from (once started). */
  origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.open.clear();
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  }

  private start(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      const server = createServer((req, res) => this.handle(req, res));
      // The pages never keep the proxy alive: it ends with its client, open questions or not.
      server.on('connection', (socket) => socket.unref());
      server.once('error', (err) => {
        this.starting = undefined;
        reject(err);
      });
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        this.port = typeof a === 'object' && a !== null ? a.port : 0;
        server.unref();
        this.server = server;
        resolve();
      });
    });
    return this.starting;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Only our own address: a page that rebinds its name to 127.0.0.1 sends its own name.
    if (req.headers.host !== `127.0.0.1:${this.port}`) return answer(res, 403, 'Not allowed', 'This page is served only at its own address.');
    const path = (req.url ?? '/').split('?')[0]!;
    const token = path.startsWith(PATH_PREFIX) ? path.slice(PATH_PREFIX.length) : '';
    const question = TOKEN_SHAPE.test(token) ? this.open.get(token) : undefined;
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!question) return answer(res, 404, 'Not open', 'This confirmation is not open: it was decided, withdrawn or has lapsed.');
      return send(res, 200, confirmPage(question.view, token));
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return answer(res, 405, 'Not allowed', 'Use the buttons on the page.');
    }
    if (!question) return drain(req, res, () => answer(res, 404, 'Not open', 'This confirmation is not open: it was decided, withdrawn or has lapsed.'));
    if (!this.sameOrigin(req)) return drain(req, res, () => answer(res, 403, 'Not allowed', 'A decision must come from the confirmation page itself.'));
    if (!/^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? ''))) return drain(req, res, () => answer(res, 415, 'Not allowed', 'Use the buttons on the page.'));
    readForm(req, res, (form) => {
      if (form === undefined) return answer(res, 413, 'Not allowed', 'Use the buttons on the page.');
      const decision = form.get('decision');
      if (!sameToken(form.get('token'), token)) return answer(res, 403, 'Not allowed', 'A decision must come from the confirmation page itself.');
      if (decision !== 'approve' && decision !== 'decline') return answer(res, 400, 'Not allowed', 'Use the buttons on the page.');
      // Checked again: another request for the same token may have decided meanwhile.
      const still = this.open.get(token);
      if (still !== question) return answer(res, 404, 'Not open', 'This confirmation is not open: it was decided, withdrawn or has lapsed.');
      this.open.delete(token);
      question.decide(decision);
      if (decision === 'approve') return answer(res, 200, 'Approved', 'The call goes ahead. You can close this page.');
      return answer(res, 200, 'Declined', 'The call is refused. You can close this page.');
    });
  }

  /** A browser posting from our page names our origin; a page elsewhere names its own (or none). */
  private sameOrigin(req: IncomingMessage): boolean {
    if (req.headers.origin !== this.origin()) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin';
  }
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, SAFE_HEADERS);
  res.end(html);
}

function answer(res: ServerResponse, status: number, title: string, text: string): void {
  send(res, status, messagePage(title, text));
}

/** Reads (and ignores) a body before answering, so the client sees the answer and not a reset. */
function drain(req: IncomingMessage, res: ServerResponse, then: () => void): void {
  let size = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    then();
  };
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      // The rest of the body is never read: the connection cannot carry another request.
      req.pause();
      res.setHeader('connection', 'close');
      finish();
    }
  });
  req.on('end', finish);
  req.on('error', finish);
}

function readForm(req: IncomingMessage, res: ServerResponse, then: (form: URLSearchParams | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (form: URLSearchParams | undefined) => {
    if (done) return;
    done = true;
    then(form);
  };
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      req.pause();
      res.setHeader('connection', 'close');
      return finish(undefined);
    }
    chunks.push(c);
  });
  req.on('end', () => finish(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  req.on('error', () => finish(undefined));
}

let shared: ConfirmationPages | undefined;

/** The process's confirmation pages: one server for every proxy session of this process. */
export function sharedConfirmationPages(): ConfirmationPages {
  shared ??= new ConfirmationPages();
  return shared;
}
