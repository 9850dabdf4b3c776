// A scripted model for the research-brief example: no keys, no network. It answers the
// `make brief: markdown ...` step by quoting the first sentence of each source and citing
// it with a Markdown link, so the output is deterministic; anything else is refused.
function firstSentence(text) {
  const body = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .join(' ');
  const m = /^(.*?[.!?])(\s|$)/.exec(body);
  return (m ? m[1] : body).replace(/\s+/g, ' ').trim();
}

function title(text, fallback) {
  const h = /^#\s+(.+)$/m.exec(text);
  return h ? h[1].trim() : fallback;
}

export default async function scriptedWriter(request) {
  if (request.kind !== 'markdown') throw new Error(`scripted writer only produces markdown, not ${request.kind}`);
  const question = request.inputs.find((i) => i.name === 'question')?.value;
  const docs = request.inputs.find((i) => i.name === 'docs')?.value;
  if (typeof question !== 'string') throw new Error('expected the question as a string');
  if (!docs || typeof docs !== 'object' || Object.keys(docs).length === 0) throw new Error('expected at least one source');
  const lines = ['# Brief', '', `**Question:** ${question}`, '', '## Findings', ''];
  for (const [file, text] of Object.entries(docs)) {
    lines.push(`- ${firstSentence(text)} ([${title(text, file)}](${file}))`);
  }
  lines.push('', '## Sources', '');
  for (const file of Object.keys(docs)) lines.push(`- [${file}](${file})`);
  return lines.join('\n') + '\n';
}
