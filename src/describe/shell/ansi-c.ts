// Decoding of bash's $'…' strings. Returns undefined for anything it cannot be sure of
// (a NUL, which ends the word in bash, or a malformed escape), so the caller treats the
// word as unknown rather than guess.

const SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

export function decodeAnsiC(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    if (SIMPLE[next] !== undefined) {
      out += SIMPLE[next];
      continue;
    }
    const numeric = readNumeric(body, i, next);
    if (numeric) {
      if (numeric.code === 0 || numeric.code > 0x10ffff) return undefined;
      out += String.fromCodePoint(numeric.code);
      i = numeric.end - 1;
      continue;
    }
    if (next === 'c') {
      const ctl = body[++i];
      if (ctl === undefined) return undefined;
      const code = ctl.toUpperCase().charCodeAt(0) ^ 0x40;
      if (code === 0) return undefined;
      out += String.fromCharCode(code);
      continue;
    }
    // Unknown escapes keep their backslash in bash.
    out += '\\' + next;
  }
  return out;
}

function readNumeric(body: string, at: number, kind: string): { code: number; end: number } | undefined {
  const spec: Record<string, [RegExp, number, number, number]> = {
    x: [/[0-9a-fA-F]/, 16, 2, 1],
    u: [/[0-9a-fA-F]/, 16, 4, 1],
    U: [/[0-9a-fA-F]/, 16, 8, 1],
  };
  if (/[0-7]/.test(kind)) {
    let end = at;
    while (end < body.length && end < at + 3 && /[0-7]/.test(body[end]!)) end++;
    return { code: parseInt(body.slice(at, end), 8) & 0xff, end };
  }
  const found = spec[kind];
  if (!found) return undefined;
  const [digit, radix, max] = found;
  let end = at + 1;
  while (end < body.length && end < at + 1 + max && digit.test(body[end]!)) end++;
  if (end === at + 1) return undefined;
  return { code: parseInt(body.slice(at + 1, end), radix), end };
}
