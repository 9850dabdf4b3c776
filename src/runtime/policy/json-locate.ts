// Where a JSON pointer (`/allow/0`) starts in the source text, so schema errors in a
// policy file can carry a line and column like every other diagnostic.

/** Maps every JSON pointer of a (valid) JSON text to the offset where its value starts. */
export function jsonPointerOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  const value = (ptr: string): void => {
    ws();
    out.set(ptr, i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        i++; // ':'
        value(`${ptr}/${esc(key)}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // '}'
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${ptr}/${n}`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // ']'
        return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  try {
    value('');
  } catch {
    // best effort: positions found so far are still right
  }
  return out;
}

/** 1-based line and column of a JSON pointer in `text` (1:1 when it cannot be found). */
export function locateJsonPointer(text: string, pointer: string): { line: number; column: number } {
  const ptr = pointer === '/' ? '' : pointer;
  const offsets = jsonPointerOffsets(text);
  let off = offsets.get(ptr);
  // For "additional property" errors the pointer is the parent object; good enough.
  if (off === undefined) off = 0;
  const before = text.slice(0, off).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
