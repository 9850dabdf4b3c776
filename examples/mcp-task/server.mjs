// A tiny "notes" MCP server for the mcp-task example, over stdio. Tools:
//   search {query}        -> {query, count, hits: [{id, title}]}  (case-insensitive, title and body)
//   add    {title, body}  -> {id, title}
// Notes start from notes.json next to this file and live in memory only, so every run
// starts from the same state and the checked-in files are never changed.
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const notes = JSON.parse(readFileSync(new URL('./notes.json', import.meta.url), 'utf8'));

const json = (value) => ({ content: [{ type: 'text', text: JSON.stringify(value) }] });

const server = new McpServer({ name: 'notes', version: '1.0.0' });

server.registerTool(
  'search',
  {
    description: 'Find notes whose title or body contains the query (case-insensitive).',
    inputSchema: { query: z.string().min(1) },
    annotations: { readOnlyHint: true },
  },
  async ({ query }) => {
    const q = query.toLowerCase();
    const hits = notes.filter((n) => n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q)).map((n) => ({ id: n.id, title: n.title }));
    return json({ query, count: hits.length, hits });
  },
);

server.registerTool(
  'add',
  {
    description: 'Add a note and return its id.',
    inputSchema: { title: z.string().min(1), body: z.string() },
  },
  async ({ title, body }) => {
    const id = `n${notes.length + 1}`;
    notes.push({ id, title, body });
    return json({ id, title });
  },
);

await server.connect(new StdioServerTransport());
