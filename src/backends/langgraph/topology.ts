// The shape of a contract's graph, in one place: which nodes exist and where each may go.
// The contract is walked from its last step to its first, so every step knows the node
// that follows it; nodes that can never run (after a `return`) are left out, because
// LangGraph refuses unreachable nodes; the rest are listed in source order.

import type { Step } from '../../ir/types.js';
import { callNodes, checkNode, forNext, forNodes, ifEnd, ifNodes, makeNode, returnNode } from './nodes.js';
import { stepId, type GraphNode } from './node-shape.js';

export interface Topology {
  /** The first node of the contract's steps (run_finish for an empty contract). */
  entry: string;
  /** Reachable nodes, in source order. */
  nodes: GraphNode[];
}

export interface TopologyOptions {
  /** Whether a call step gets a confirmation node. */
  gated: (step: Step) => boolean;
  /** A confirmation handler answers (no interrupt). */
  hasHandler: boolean;
}

export function contractTopology(steps: Step[], finish: string, opts: TopologyOptions): Topology {
  const all = new Map<string, GraphNode>();
  const add = (nodes: GraphNode[]) => {
    for (const n of nodes) {
      if (all.has(n.id)) throw new Error(`internal: duplicate graph node ${n.id}`);
      all.set(n.id, n);
    }
  };
  /** Adds the nodes of a block whose normal end continues at `next`; returns its entry. */
  const block = (list: Step[], next: string): string => {
    let entry = next;
    for (let i = list.length - 1; i >= 0; i--) entry = step(list[i]!, entry);
    return entry;
  };
  const step = (s: Step, next: string): string => {
    switch (s.op) {
      case 'call':
        add(callNodes(s, next, opts.gated(s), opts.hasHandler));
        break;
      case 'make':
        add([makeNode(s, next)]);
        break;
      case 'check':
        add([checkNode(s, next)]);
        break;
      case 'return':
        add([returnNode(s, next)]);
        break;
      case 'if':
        add(ifNodes(s, block(s.then, ifEnd(s)), next));
        break;
      case 'for':
        add(forNodes(s, block(s.body, forNext(s)), next));
        break;
      default:
        throw new Error(`internal: unknown step op "${(s as { op: string }).op}"`);
    }
    return stepId(s);
  };
  const entry = block(steps, finish);
  const reachable = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (reachable.has(id) || !all.has(id)) continue;
    reachable.add(id);
    todo.push(...all.get(id)!.targets);
  }
  const nodes = [...all.values()].filter((n) => reachable.has(n.id)).sort((a, b) => nodeOrder(a.id, b.id));
  return { entry, nodes };
}

const SUFFIX_ORDER = ['', '_confirm', '_execute', '_next', '_end'];

/** Source order: by line, then column, then the part of the step (gate after its call). */
function nodeOrder(a: string, b: string): number {
  const key = (id: string) => {
    const m = /^[a-z]+_(\d+)_(\d+)(_[a-z]+)?$/.exec(id)!;
    return [Number(m[1]), Number(m[2]), SUFFIX_ORDER.indexOf(m[3] ?? '')];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}
