// A scripted model for the review-diff example: no keys, no network. It answers the
// `make review: json ...` step by reading the diff it is given and writing short,
// deterministic review notes; any other request is refused.
function touched(diff) {
  const files = [];
  for (const line of diff.split('\n')) {
    const m = /^\+\+\+ b\/(.+)$/.exec(line);
    if (m && !files.includes(m[1])) files.push(m[1]);
  }
  return files;
}

export default async function scriptedReviewer(request) {
  if (request.kind !== 'json') throw new Error(`scripted reviewer only produces json, not ${request.kind}`);
  const diff = request.inputs.find((i) => i.name === 'diff')?.value;
  const sources = request.inputs.find((i) => i.name === 'sources')?.value;
  if (typeof diff !== 'string') throw new Error('expected the diff as a string');
  if (!sources || typeof sources !== 'object') throw new Error('expected the current sources');
  const files = touched(diff);
  const added = diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const removed = diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  const lines = [`## Review`, '', `${files.length} file(s) changed, +${added} -${removed}.`, ''];
  for (const f of files) {
    const known = typeof sources[f] === 'string';
    lines.push(`- \`${f}\`: ${known ? 'matches the current source; change is small and self-contained' : 'new file'}.`);
  }
  return { files, notes: lines.join('\n') };
}
