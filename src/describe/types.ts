// Actions (docs/design.md#actions): what a call does, as the kernel judges it. A describer turns a
// call (host tool name + arguments) into its capability and a non-empty list of
// actions; the kernel (src/runtime/kernel) decides the actions. Describers never decide.

import type { ArgWord } from '../rules/types.js';

export type { ArgWord };

/** A part of a call AEX could not determine (docs/design.md#unresolved-parts). */
export interface Unresolved {
  /** What is unknown: "path", "program", "command", "host", "environment", … */
  what: string;
  /** Why: "dynamic command", "parse error", "environment", "git config", "unknown base", … */
  why: string;
}

/**
 * A path attribute (docs/paths.md, docs/paths.md). `forms` holds every absolute, NFC-normalised
 * form the path may take: its lexical and its physical form, for every candidate base
 * of a relative path. An allow rule needs every form inside its glob; a deny or
 * confirm rule applies when any form matches. A path that could not be determined has
 * `unresolved` set and no forms: it matches every deny/confirm path rule and no
 * qualified allow rule.
 */
export interface ActionPath {
  /** The path as the call wrote it (for refusal texts). */
  given: string;
  forms: string[];
  unresolved?: Unresolved;
}

/**
 * One action: a capability and the attributes it touches.
 *
 * `unresolved` at the action level means the action itself is not fully known:
 *  - why "environment" or "git config": the argv is known, so deny/confirm command
 *    patterns match it normally, but only an allow rule WITHOUT a qualifier permits it;
 *  - any other why ("dynamic program", "dynamic command", "parse error", "unsupported: …",
 *    "unknown host", …): a deny or confirm rule whose tool pattern matches applies
 *    whatever its qualifier, and only an unqualified allow rule permits it.
 * Unknown words of an otherwise known argv (`grep x $F`, the tail of `xargs`) are
 * ArgWord unknowns, not action-level unresolved entries.
 */
export interface Action {
  cap: string;
  /** Files the action reads or writes. */
  paths?: ActionPath[];
  /** Search roots: the action may read the whole subtree of each (docs/paths.md). */
  reach?: ActionPath[];
  /** shell.exec: the simple command's words after quote removal. */
  argv?: ArgWord[];
  /** shell.exec: argv[0] when it is known. */
  program?: string;
  /** shell.exec: the words joined by single spaces (unknown words as written). */
  command?: string;
  /** network.*: lowercased, IDNA, no trailing dot; IP literals canonical. */
  host?: string;
  /** network.*: the normalised URL. */
  url?: string;
  /** The call's JSON arguments, for `where` tests (docs/language.md). */
  args?: Record<string, unknown>;
  unresolved?: Unresolved[];
}

/** A call as the kernel receives it: its capability, its arguments and its actions. */
export interface DescribedCall {
  /** The call's capability (its AEX name): `shell.exec`, `file.write`, `mcp.fs.read_file`. */
  tool: string;
  /** The host's own tool name, when a host adapter described it (`Bash`, `Edit`). */
  hostTool?: string;
  args: Record<string, unknown>;
  /** Never empty. */
  actions: Action[];
}

/** What a describer needs to know about where a call runs. */
export interface DescribeContext {
  /** The project root (docs/design.md#the-project-root-of-a-host-session). */
  root: string;
  /** Base of relative paths of built-ins, host tools and shell effects (run root or hook cwd). */
  cwd: string;
  /** Home directory for `~` (the home of the user AEX runs as). */
  home: string;
  /**
   * Candidate bases of relative paths of MCP tools (docs/paths.md). `undefined` means the
   * base is unknown (remote server, registry tool): relative and `~` paths are unresolved.
   */
  mcpBases?: string[];
  /** Tools the policy declares with `shell TOOL` (docs/language.md). */
  shells?: readonly string[];
}
