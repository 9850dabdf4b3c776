// Rule and layer types (docs/design.md#rules-and-permissions, docs/language.md). This folder is a leaf: the compiler,
// the policy loader, the kernel and every surface import it, and it imports nothing
// of theirs.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The keyword a rule was written under. `use` is a task's allow. */
export type RuleKeyword = 'use' | 'allow' | 'deny' | 'confirm';

/** `where` test operators (docs/language.md). */
export type WhereOp = '==' | '!=' | 'in' | 'not in' | 'matches' | 'has';

/** One `where` test: a path into the call's arguments, an operator and a JSON value. */
export interface WhereTest {
  /** `channel` → ['channel']; `opts.repo` → ['opts', 'repo']. */
  arg: string[];
  op: WhereOp;
  value: JsonValue;
}

/** Where a rule was written: the file (absolute) and 1-based line and column. */
export interface RuleSource {
  file: string;
  line: number;
  column?: number;
}

/**
 * A permission rule: a tool pattern and at most one qualifier, whose kind follows the
 * capability (docs/language.md): `command` for shell.exec, `host` or `url` for network.*,
 * `path` for every other capability. `where` tests are a conjunction.
 */
export interface RuleSpec {
  tool: string;
  /** Path glob (docs/paths.md), as written; resolved lexically against the layer's root. */
  path?: string;
  /**
   * Further globs that every path must ALSO match (a conjunction). Produced when two
   * path-qualified allow rules are intersected and neither glob contains the other
   * (JSON `extends` narrowing, effective allow lists).
   */
  alsoPaths?: string[];
  /** Command pattern (docs/language.md) for shell.exec rules. */
  command?: string;
  /** Host pattern (`github.com`, `*.github.com`) for network.* rules. */
  host?: string;
  /** URL glob (a network qualifier containing `://`). */
  url?: string;
  where?: WhereTest[];
  /**
   * The tool pattern as the document wrote it, when `tool` is another spelling of it: a
   * rule naming an MCP tool's old name (`fx.echo`) also applies under its one name
   * (`mcp.fx.echo`, docs/mcp.md), and provenance still shows what the person wrote.
   */
  writtenTool?: string;
  /** The keyword it was written under, for provenance (`deny shell.exec:"rm -rf *"`). */
  keyword?: RuleKeyword;
  source?: RuleSource;
  /** Where the rule came from, for audit reasons: "policy.aex:3:7" (AEX 1 field). */
  origin?: string;
}

/** One layer of permissions: the task contract's requests, or a policy's grants. */
export interface PermissionLayer {
  kind: 'task' | 'policy';
  name: string;
  file?: string;
  /** task: its `use` rules; policy: its `allow` rules. Zero rules permit nothing. */
  allow: RuleSpec[];
  deny: RuleSpec[];
  confirm: RuleSpec[];
  budget: Record<string, number>;
  /** Tools declared with `shell TOOL` (docs/language.md): their `command` argument is a command line. */
  shells?: string[];
  /** Project root of the layer's file (docs/paths.md): relative globs resolve against it. */
  root?: string;
  /** Every file the layer was built from (the document and its `extends` chain): protected state. */
  files?: string[];
}

/** The most restrictive combination of the layers present (docs/design.md#rules-and-permissions). */
export interface EffectivePermissions {
  task?: PermissionLayer;
  policy?: PermissionLayer;
  /** Union of both layers' deny rules. */
  deny: RuleSpec[];
  /** Union of both layers' confirm rules. */
  confirm: RuleSpec[];
  /** Per-key minimum of the defined values; `calls` is the one that is enforced. */
  budget: Record<string, number>;
  /** Project root: relative globs of a layer without its own root resolve against it. */
  cwd: string;
  /** Union of the layers' `shell` declarations. */
  shells?: string[];
}

/**
 * One word of a simple command's argv (docs/design.md#unresolved-parts): a literal string, or a word AEX
 * cannot know — `one` for a quoted expansion (exactly one word), `many` for an
 * unquoted expansion or glob (zero or more words). `text` is the word as written.
 */
export type ArgWord = string | { unknown: 'one' | 'many'; text: string };
