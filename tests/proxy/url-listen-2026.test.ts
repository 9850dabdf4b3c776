// URL-mode confirmation for a 2026-07-28 client over the HTTP listener: an SDK v2 client
// that declares only URL-mode elicitation is handed the page's address inside the call's
// input_required result; only the person's decision on the page runs the call. (The
// same cases over stdio and for 2025-11-25 are in tests/proxy/url-elicit.test.ts.)

import { afterAll, describe, expect, it } from 'vitest';
import { ConfirmationPages } from '../../src/adapters/mcp/confirm/page-server.js';
import { decideOnPage, loopback, textOf, urlSession } from './url-elicit-helpers.js';

const pages = new ConfirmationPages();
afterAll(() => pages.close());

describe('a URL-only client on 2026-07-28 over the HTTP listener', () => {
  it('Approve on the page runs the call', async () => {
    const s = await urlSession({ transport: 'http', era: 'modern', pages, user: (p) => decideOnPage(String(p.url), 'approve') });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'a.txt' } });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toContain('wrote a.txt');
      expect(s.writes).toEqual(['a.txt']);
      const asked = s.elicitations[0]!;
      expect(asked.mode).toBe('url');
      expect(String(asked.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]{22}$/);
      // 2026-07-28 has no elicitationId: the retried call's result is the outcome.
      expect(asked.elicitationId).toBeUndefined();
      const events = s.events().filter((e) => String(e.event).startsWith('confirm.'));
      expect(events.map((e) => e.event)).toEqual(['confirm.required', 'confirm.approved']);
      expect((await loopback(String(asked.url))).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('Decline on the page refuses the call', async () => {
    const s = await urlSession({ transport: 'http', era: 'modern', pages, user: (p) => decideOnPage(String(p.url), 'decline') });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'b.txt' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/the user declined/);
      expect(s.writes).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("the client's accept alone approves nothing: no decision on the page refuses the call at the deadline", async () => {
    const s = await urlSession({ transport: 'http', era: 'modern', pages, timeoutMs: 150 });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'c.txt' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/nobody decided in time/);
      expect(s.writes).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
