// URL-mode confirmation: a client that declares only URL-mode elicitation is asked to open
// a page on 127.0.0.1 where the person approves or declines a `confirm before` call.
// The SDK client declares `elicitation: { url: {} }`; the test follows the URL like a user.

import { afterAll, describe, expect, it } from 'vitest';
import { ConfirmationPages } from '../../src/adapters/mcp/confirm/page-server.js';
import { decideOnPage, formToken, loopback, postDecision, textOf, until, urlSession, type Era, type Transport, type UrlSession } from './url-elicit-helpers.js';

const pages = new ConfirmationPages();
afterAll(() => pages.close());

const confirmEvents = (s: UrlSession) => s.events().filter((e) => String(e.event).startsWith('confirm.'));

// The HTTP listener serves 2025-11-25 sessions only (a 2026-07-28 client pinned to that
// revision finds no server/discover there), so 2026-07-28 is tested over stdio.
const COMBINATIONS: Array<[Transport, Era]> = [
  ['stdio', 'legacy'],
  ['stdio', 'modern'],
  ['http', 'legacy'],
];

describe.each(COMBINATIONS)('a URL-only client over %s, protocol %s', (transport, era) => {
  it('Approve on the page runs the call; the client is told the interaction is over', async () => {
    const s = await urlSession({ transport, era, pages, user: (p) => decideOnPage(String(p.url), 'approve') });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'a.txt' } });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain('wrote a.txt');
      expect(s.writes).toEqual(['a.txt']);
      const asked = s.elicitations[0]!;
      expect(asked.mode).toBe('url');
      expect(String(asked.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]{22}$/);
      expect(String(asked.message)).toMatch(/^AEX: .*mcp\.s\.write/);
      const decided = (await s.userDone[0]) as { status: number; body: string };
      expect(decided.status).toBe(200);
      expect(decided.body).toContain('Approved');
      if (era === 'legacy') {
        // 2025-11-25: an elicitationId, and the completion notification naming it.
        expect(asked.elicitationId).toMatch(/^aex-elicit-[0-9a-f]{32}$/);
        await until(() => s.completions.length > 0);
        expect(s.completions).toEqual([asked.elicitationId]);
      } else {
        // 2026-07-28 removed both: the result of the retried call is the outcome.
        expect(asked.elicitationId).toBeUndefined();
        expect(s.completions).toEqual([]);
      }
      expect(confirmEvents(s).map((e) => e.event)).toEqual(['confirm.required', 'confirm.approved']);
      // The question is closed: the page is gone.
      expect((await loopback(String(asked.url))).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('Decline on the page refuses the call', async () => {
    const s = await urlSession({ transport, era, pages, user: (p) => decideOnPage(String(p.url), 'decline') });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'b.txt' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/the user declined/);
      expect(s.writes).toEqual([]);
      expect(confirmEvents(s).at(-1)).toMatchObject({ event: 'confirm.denied', reason: 'declined' });
    } finally {
      await s.close();
    }
  });

  it("the client's accept alone approves nothing: without a decision on the page the call is refused at the deadline", async () => {
    const s = await urlSession({ transport, era, pages, timeoutMs: 150 });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'c.txt' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/nobody decided in time/);
      expect(s.writes).toEqual([]);
      expect(confirmEvents(s).at(-1)).toMatchObject({ event: 'confirm.denied', reason: 'timeout' });
      expect((await loopback(String(s.elicitations[0]!.url))).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('URL-only client: what the client answers', () => {
  it('decline from the client refuses the call and closes the page', async () => {
    const s = await urlSession({ transport: 'stdio', era: 'legacy', pages, clientAnswer: () => ({ action: 'decline' }) });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'd.txt' } });
      expect(r.isError).toBe(true);
      expect(s.writes).toEqual([]);
      expect(confirmEvents(s).at(-1)).toMatchObject({ event: 'confirm.denied', reason: 'declined' });
      expect((await loopback(String(s.elicitations[0]!.url))).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('cancel from the client is audited as confirm.cancelled', async () => {
    const s = await urlSession({ transport: 'stdio', era: 'modern', pages, clientAnswer: () => ({ action: 'cancel' }) });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'e.txt' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/cancelled the confirmation/);
      expect(s.writes).toEqual([]);
      expect(confirmEvents(s).at(-1)).toMatchObject({ event: 'confirm.cancelled' });
    } finally {
      await s.close();
    }
  });

  it('a client that declares form mode too is asked in form mode (no page)', async () => {
    const s = await urlSession({ transport: 'stdio', era: 'legacy', pages, capabilities: { elicitation: { form: {}, url: {} } }, clientAnswer: () => ({ action: 'accept', content: {} }) });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'f.txt' } });
      expect(r.isError).toBeFalsy();
      expect(s.elicitations[0]!.mode).toBe('form');
      expect(s.writes).toEqual(['f.txt']);
    } finally {
      await s.close();
    }
  });

  it('a call the client cancels while the page is open is withdrawn: the page stops working', async () => {
    let url = '';
    const s = await urlSession({ transport: 'stdio', era: 'legacy', pages, user: async (p) => void (url = String(p.url)) });
    try {
      const abort = new AbortController();
      const call = s.client.callTool({ name: 'write', arguments: { path: 'g.txt' } }, { signal: abort.signal });
      await until(() => url !== '');
      const page = await loopback(url);
      expect(page.status).toBe(200);
      abort.abort();
      await expect(call).rejects.toThrow();
      await until(() => confirmEvents(s).some((e) => e.event === 'confirm.denied'));
      expect(confirmEvents(s).at(-1)).toMatchObject({ event: 'confirm.denied', reason: 'withdrawn' });
      const late = await postDecision(url, { token: formToken(page.body), decision: 'approve' });
      expect(late.status).toBe(404);
      expect(s.writes).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('URL-only client: what does not approve a call', () => {
  it('a GET, a wrong token, a forged token, another origin, no origin, another Host, a cross-site fetch, another body type: none decides; the real button does, once', async () => {
    let url = '';
    const s = await urlSession({ transport: 'http', era: 'legacy', pages, user: async (p) => void (url = String(p.url)) });
    try {
      const call = s.client.callTool({ name: 'write', arguments: { path: 'h.txt' } });
      await until(() => url !== '');
      const u = new URL(url);
      const page = await loopback(url);
      const token = formToken(page.body);
      expect(u.pathname).toBe(`/confirm/${token}`);
      // Fetching the page (a client or a link preview) decides nothing, however often.
      await loopback(url);
      await loopback(`${url}?decision=approve&token=${token}`);
      // Another token in the path: not an open question.
      const other = `${u.origin}/confirm/${'A'.repeat(22)}`;
      expect((await postDecision(other, { token: 'A'.repeat(22), decision: 'approve' })).status).toBe(404);
      // The right path with a form that does not carry its token.
      expect((await postDecision(url, { token: 'B'.repeat(22), decision: 'approve' })).status).toBe(403);
      expect((await postDecision(url, { decision: 'approve' })).status).toBe(403);
      // A page elsewhere that knows the URL: its browser names its own origin, or none.
      expect((await postDecision(url, { token, decision: 'approve' }, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await postDecision(url, { token, decision: 'approve' }, { origin: 'null' })).status).toBe(403);
      expect((await postDecision(url, { token, decision: 'approve' }, { origin: 'http://localhost:' + u.port })).status).toBe(403);
      expect((await loopback(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}&decision=approve` })).status).toBe(403);
      expect((await postDecision(url, { token, decision: 'approve' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      // DNS rebinding: the browser sends the attacker's name as Host.
      expect((await postDecision(url, { token, decision: 'approve' }, { host: 'evil.example:' + u.port })).status).toBe(403);
      expect((await loopback(url, { headers: { host: 'evil.example' } })).status).toBe(403);
      // Not a form post, not a decision, not a method of the page.
      expect((await postDecision(url, { token, decision: 'approve' }, { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await postDecision(url, { token, decision: 'yes' })).status).toBe(400);
      expect((await loopback(url, { method: 'PUT' })).status).toBe(405);
      expect((await postDecision(url, { token, decision: 'approve', pad: 'x'.repeat(5000) })).status).toBe(413);
      expect(s.writes).toEqual([]);
      expect(confirmEvents(s).map((e) => e.event)).toEqual(['confirm.required']);
      // The person's own press counts, once.
      expect((await postDecision(url, { token, decision: 'approve' })).status).toBe(200);
      const r = await call;
      expect(r.isError).toBeFalsy();
      expect(s.writes).toEqual(['h.txt']);
      // Replayed: the question is closed, and a replay cannot approve the next question either.
      expect((await postDecision(url, { token, decision: 'approve' })).status).toBe(404);
      url = '';
      const second = s.client.callTool({ name: 'write', arguments: { path: 'i.txt' } });
      await until(() => url !== '');
      expect(url).not.toBe(`${u.origin}/confirm/${token}`);
      expect((await postDecision(`${u.origin}/confirm/${token}`, { token, decision: 'approve' })).status).toBe(404);
      expect((await decideOnPage(url, 'decline')).status).toBe(200);
      expect((await second).isError).toBe(true);
      expect(s.writes).toEqual(['h.txt']);
    } finally {
      await s.close();
    }
  });

  it('the page shows tool, server and arguments escaped, hidden characters made visible, and is never framed, cached or referred', async () => {
    let url = '';
    const s = await urlSession({ transport: 'stdio', era: 'legacy', pages, timeoutMs: 2000, user: async (p) => void (url = String(p.url)) });
    try {
      const call = s.client.callTool({ name: 'write', arguments: { path: 'safe.txt\u202Etxt.exe', text: '<script>alert(1)</script>"\'&\u200B' } });
      await until(() => url !== '');
      const page = await loopback(url);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<dt>Server</dt><dd>s</dd>');
      expect(page.body).toContain('<code>mcp.s.write</code>');
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.body).toContain('safe.txt\\u{202E}txt.exe');
      expect(page.body).toContain('\\u{200B}');
      expect(page.body).not.toMatch(/[\u202E\u200B]/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['cache-control']).toBe('no-store');
      expect((await decideOnPage(url, 'decline')).status).toBe(200);
      expect((await call).isError).toBe(true);
    } finally {
      await s.close();
    }
  });
});
