import type { CondNode, RefNode, ValueNode } from './ast.js';
import { RESERVED } from './tokens.js';

// Canonical text of values and conditions, shared by the formatter and by the IR's
// `text` fields of check/if steps.

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function printString(s: string): string {
  return JSON.stringify(s);
}

export function printRef(r: RefNode): string {
  return r.name + r.path.map((p) => '.' + String(p)).join('');
}

export function printKey(k: string): string {
  return IDENT.test(k) && !RESERVED.has(k) ? k : printString(k);
}

export function printNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** One-line canonical text of a value. */
export function printValue(v: ValueNode): string {
  switch (v.kind) {
    case 'string':
      return printString(v.value);
    case 'number':
      return printNumber(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'ref':
      return printRef(v);
    case 'list':
      return `[${v.items.map(printValue).join(', ')}]`;
    case 'object':
      return `{${v.members.map((m) => `${printKey(m.key)}: ${printValue(m.value)}`).join(', ')}}`;
  }
}

export function printCond(c: CondNode): string {
  const s = printRef(c.subject);
  switch (c.op) {
    case 'truthy':
      return s;
    case 'has':
      return `${s} has ${printValue(c.needle)}`;
    case 'has_citations':
      return `${s} has citations`;
    case 'not_includes':
      return `${s} does not include ${printValue(c.needle)}`;
    case 'valid_diff':
      return `${s} is valid diff`;
    case 'touches_only':
      return `${s} touches only ${printValue(c.allowed)}`;
  }
}
