// The HTML of the confirmation page a URL-mode client's user opens (./page-server.ts).
// Everything the call carries (tool, reason, arguments) is text an agent or a server
// chose, so all of it is escaped, and characters that hide or reorder text (bidi
// overrides, zero-width marks, control characters) are shown as visible escapes: the
// person approves what the call does, not what it was made to look like.

export interface PageView {
  /** The capability being called (`mcp.S.T`, `mcp.S.resources.read`, …). */
  tool: string;
  /** The kernel's confirmation text, naming the rule and the action. */
  why: string;
  /** The arguments exactly as the client sent them. */
  args: unknown;
  /** When the question lapses (ms since the epoch); shown so the person knows the deadline. */
  expiresAt: number;
}

/** Arguments beyond this many characters are cut on the page (the whole call still waits for the decision). */
export const SHOWN_ARGS_LIMIT = 64 * 1024;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML, with every invisible or reordering character (format characters such as
 * U+202E and U+200B, control characters other than a line break, the line and paragraph
 * separators) written as a visible `\u{…}`.
 */
export function visibleText(text: string): string {
  const revealed = text.replace(/[\p{Cf}\p{Cc}\u2028\u2029]/gu, (ch) => (ch === '\n' ? ch : `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`));
  return revealed.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/** The server a capability name belongs to (`mcp.S.…` → S); server names hold no dot. */
export function serverOf(tool: string): string | undefined {
  const m = /^mcp\.([^.]+)\./.exec(tool);
  return m ? m[1] : undefined;
}

function shownArguments(args: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(args ?? {}, null, 2) ?? '{}';
  } catch {
    text = '(the arguments cannot be shown)';
  }
  if (text.length <= SHOWN_ARGS_LIMIT) return text;
  return `${text.slice(0, SHOWN_ARGS_LIMIT)}\n… (${text.length - SHOWN_ARGS_LIMIT} more characters not shown)`;
}

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${visibleText(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.4}',
    'pre{background:#f4f4f4;padding:.75rem;overflow:auto;white-space:pre-wrap;word-break:break-all}',
    'dt{font-weight:600;margin-top:.75rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:1rem}</style>',
    '</head><body>',
    body,
    '</body></html>',
  ].join('\n');
}

/** The question: what is called and why, and the two buttons (each a POST carrying the token). */
export function confirmPage(view: PageView, token: string): string {
  const server = serverOf(view.tool);
  const deadline = new Date(view.expiresAt).toISOString();
  const form = (decision: 'approve' | 'decline', label: string) =>
    `<form method="post" style="display:inline"><input type="hidden" name="token" value="${visibleText(token)}"><input type="hidden" name="decision" value="${decision}"><button type="submit">${label}</button></form>`;
  return page(
    'AEX: confirm a tool call',
    [
      '<h1>AEX: confirm a tool call</h1>',
      '<p>An agent asked to make this call through the AEX proxy on this machine. A policy rule says a person must confirm it first.</p>',
      '<dl>',
      server !== undefined ? `<dt>Server</dt><dd>${visibleText(server)}</dd>` : '',
      `<dt>Tool</dt><dd><code>${visibleText(view.tool)}</code></dd>`,
      `<dt>Why confirmation is needed</dt><dd>${visibleText(view.why)}</dd>`,
      `<dt>Arguments</dt><dd><pre>${visibleText(shownArguments(view.args))}</pre></dd>`,
      '</dl>',
      `<p>Without a decision by ${visibleText(deadline)} the call is refused.</p>`,
      `<p>${form('approve', 'Approve')}${form('decline', 'Decline')}</p>`,
    ].join('\n'),
  );
}

/** What the person sees after deciding, or when the question is no longer open. */
export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${visibleText(title)}</h1>\n<p>${visibleText(text)}</p>`);
}
