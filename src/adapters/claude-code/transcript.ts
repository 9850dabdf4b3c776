// Whether a tool call is the only one of its model turn, read from the session transcript
// Claude Code names in the hook payload (transcript_path, JSON lines; the assistant message
// holding the call is written before its PreToolUse hooks run). Claude Code honours `defer`
// only for a single call, so anything unclear here counts as "not single" and the
// confirmation is refused instead (fail closed).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** How much of the transcript's end is read: the current turn is at the end. */
const TAIL_BYTES = 1024 * 1024;

function tail(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return '';
    const len = Math.min(st.size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, st.size - len);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

interface Entry {
  message?: { id?: unknown; role?: unknown; content?: unknown };
}

function toolUses(e: Entry): string[] {
  const content = e.message?.content;
  if (e.message?.role !== 'assistant' || !Array.isArray(content)) return [];
  return content.filter((b) => b !== null && typeof b === 'object' && (b as { type?: unknown }).type === 'tool_use').map((b) => String((b as { id?: unknown }).id));
}

export function singleToolCallInTurn(transcript: string, toolUseId: string): boolean {
  let text: string;
  try {
    text = tail(transcript);
  } catch {
    return false;
  }
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    try {
      entries.push(JSON.parse(line) as Entry);
    } catch {
      /* the first, cut line, or a torn last one */
    }
  }
  const holder = entries.find((e) => toolUses(e).includes(toolUseId));
  const messageId = holder?.message?.id;
  if (holder === undefined || typeof messageId !== 'string') return false;
  // One assistant message may be written as several lines, one per content block.
  const ids = new Set(entries.filter((e) => e.message?.id === messageId).flatMap(toolUses));
  return ids.size === 1;
}
