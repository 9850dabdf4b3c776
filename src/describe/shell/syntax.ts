// A tree-sitter tree copied into plain JavaScript objects in ONE TreeCursor walk.
//
// Every property of a web-tree-sitter Node (type, children, endIndex, text, …) is a call
// into WebAssembly that marshals the node again, and `children` allocates new Node
// objects each time a node is reached from its parent. The describer reads most nodes
// several times (the gap check, the walk, quote removal), so it reads this copy instead:
// each node's type, named-ness, offsets and field name are read exactly once. The copy
// offers the subset of the Node interface the describer uses, with the same meaning.

import type { Tree, TreeCursor } from 'web-tree-sitter';

export class SyntaxNode {
  readonly children: SyntaxNode[] = [];
  readonly namedChildren: SyntaxNode[] = [];

  constructor(
    /** Unique within one copied tree. */
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    /** Offsets into `source`, in the same units as web-tree-sitter's Node (UTF-16 code units). */
    readonly startIndex: number,
    readonly endIndex: number,
    /** The field this node fills in its parent (`body`, `destination`, …), if any. */
    readonly fieldName: string | null,
    readonly parent: SyntaxNode | null,
    private readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  childForFieldName(field: string): SyntaxNode | null {
    for (const child of this.children) if (child.fieldName === field) return child;
    return null;
  }

  childrenForFieldName(field: string): SyntaxNode[] {
    return this.children.filter((child) => child.fieldName === field);
  }

  /** This node and its descendants whose type is one of `types`, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: SyntaxNode[] = [];
    const visit = (node: SyntaxNode) => {
      if (wanted.includes(node.type)) out.push(node);
      for (const child of node.children) visit(child);
    };
    visit(this);
    return out;
  }
}

/** Named-ness is a property of the (alias-aware) symbol: read once per symbol, per language. */
let namedFor: { language: object; named: Array<boolean | undefined> } | undefined;

function symbolIsNamed(tree: Tree, typeId: number): boolean {
  if (namedFor?.language !== tree.language) namedFor = { language: tree.language, named: [] };
  let v = namedFor.named[typeId];
  if (v === undefined) {
    v = tree.language.nodeTypeIsNamed(typeId);
    namedFor.named[typeId] = v;
  }
  return v;
}

/** Copies the whole tree. The caller still owns (and deletes) `tree`. */
export function copyTree(tree: Tree, source: string): SyntaxNode {
  const cursor: TreeCursor = tree.walk();
  const types = tree.language.types;
  const fields = tree.language.fields;
  let nextId = 0;
  try {
    const read = (parent: SyntaxNode | null): SyntaxNode => {
      const typeId = cursor.nodeTypeId;
      const fieldId = parent === null ? 0 : cursor.currentFieldId;
      return new SyntaxNode(
        nextId++,
        types[typeId] || 'ERROR',
        symbolIsNamed(tree, typeId),
        cursor.startIndex,
        cursor.endIndex,
        fieldId > 0 ? (fields[fieldId] ?? null) : null,
        parent,
        source,
      );
    };
    const root = read(null);
    // Iterative pre-order walk: deep nesting ($( $( … ) )) must not exhaust the JS stack.
    let current = root;
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const node = read(current);
        current.children.push(node);
        if (node.isNamed) current.namedChildren.push(node);
        if (cursor.gotoFirstChild()) {
          current = node;
          continue;
        }
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent() || current === root) {
            freezeTree(root);
            return root;
          }
          current = current.parent!;
        }
      }
    }
    freezeTree(root);
    return root;
  } finally {
    cursor.delete();
  }
}

/** Freezes every node: the describer only reads the tree, and it may be reused (syntax-cache.ts). */
export function freezeTree(root: SyntaxNode): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    Object.freeze(node.children);
    Object.freeze(node.namedChildren);
    Object.freeze(node);
    for (const child of node.children) stack.push(child);
  }
}
