// Loading policies (SPEC §6.1, §6.2): `.aex` policy files through the compiler, JSON
// policies through the published schema, `extends` chains composed so that a child
// can only narrow its base. Any error diagnostic makes the policy unusable.
//
// Nothing heavy is imported statically: the compiler and ajv are loaded with dynamic
// import() only when a policy actually has to be compiled or validated, so the gate
// can use loadPolicyLayerCached() without paying for either on a cache hit.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { IRDocument, Rule } from '../../ir/types.js';
import type { PermissionLayer, RuleSpec } from '../../rules/types.js';
import { intersectAllowLists } from '../../rules/intersect.js';
import { minBudget, unionRules } from '../../rules/merge.js';
import { locateJsonPointer } from './json-locate.js';
import type { RuleKeyword } from '../../rules/types.js';

export const MAX_EXTENDS_DEPTH = 16;

/** The places a policy is discovered, in order, in the starting directory only. */
export const POLICY_DISCOVERY = ['.aex/policy.aex', 'aex.policy.aex'] as const;

export class PolicyError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, opts: { file?: string; line?: number; column?: number; diagnostics?: Diagnostic[] } = {}) {
    super(message);
    this.name = 'PolicyError';
    this.diagnostics = opts.diagnostics ?? [];
    if (opts.file !== undefined) this.file = opts.file;
    if (opts.line !== undefined) this.line = opts.line;
    if (opts.column !== undefined) this.column = opts.column;
  }
}

export interface LoadPolicyOptions {
  /** Working directory: relative globs are resolved against it when intersecting allow lists. */
  cwd?: string;
  /** Project root of the policy (`--root DIR`, SPEC-2 §15.3); default: policyProjectRoot(file). */
  root?: string;
}

export interface LoadedPolicy {
  layer: PermissionLayer;
  /** Absolute path of the policy file. */
  file: string;
  /** Every file the layer was built from (the policy and its `extends` chain). */
  dependencies: string[];
  /** Warnings reported by the compiler (`.aex` only). */
  warnings: Diagnostic[];
  ir?: IRDocument;
}

/** The signature of src/compiler/index.ts that this module relies on. */
interface CompilerModule {
  compileFile(
    path: string,
    opts?: { displayPath?: string },
  ): { ir: IRDocument | null; diagnostics: Diagnostic[]; ok: boolean } | Promise<{ ir: IRDocument | null; diagnostics: Diagnostic[]; ok: boolean }>;
  parseRuleText(text: string, keyword?: RuleKeyword): { rule?: RuleSpec; diagnostics: Diagnostic[] };
}

interface ValidateModule {
  validatePolicyJson(doc: unknown): { valid: boolean; errors: Array<{ path: string; message: string }> };
}

// Specifiers kept in variables so TypeScript does not resolve them at build time and
// the modules are loaded only on demand.
const COMPILER_MODULE = '../../compiler/index.js';
const VALIDATE_MODULE = '../../ir/validate.js';

async function loadCompiler(): Promise<CompilerModule> {
  try {
    return (await import(COMPILER_MODULE)) as CompilerModule;
  } catch (err) {
    throw new PolicyError(`cannot load the AEX compiler to read .aex policies: ${(err as Error).message}`);
  }
}

async function loadValidator(): Promise<ValidateModule> {
  return (await import(VALIDATE_MODULE)) as ValidateModule;
}

// ---------------------------------------------------------------------------
// IR → layer

/**
 * The project root of a policy file (SPEC-2 §15.3): the parent of the `.aex` folder
 * that holds it, else the folder it is in. Relative globs of its rules resolve there.
 */
export function policyProjectRoot(file: string): string {
  const abs = path.resolve(file);
  let dir = path.dirname(abs);
  for (let d = dir; ; ) {
    if (path.basename(d) === '.aex') return path.dirname(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return dir;
}

function ruleFromIR(r: Rule, file: string | undefined, keyword: RuleKeyword): RuleSpec {
  const out: RuleSpec = { tool: r.tool };
  if (r.path !== undefined) out.path = r.path;
  if (r.command !== undefined) out.command = r.command;
  if (r.host !== undefined) out.host = r.host;
  if (r.url !== undefined) out.url = r.url;
  if (r.where !== undefined) out.where = r.where.map((t) => ({ arg: [...t.arg], op: t.op, value: t.value }));
  out.keyword = keyword;
  if (file !== undefined && r.loc) {
    out.source = { file, line: r.loc.line, column: r.loc.column };
    out.origin = `${file}:${r.loc.line}:${r.loc.column}`;
  }
  return out;
}

function budgetFromIR(b: IRDocument['budget'] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * The permission layer of a compiled document (IR v1 or v2). Task: its `use` rules;
 * policy: its `allow` rules (lowered into `permissions.use`). Confirm = the top-level
 * confirm rules. Every rule keeps its keyword and source; a policy's layer gets its
 * project root, and both get `files` and the `shell` declarations.
 */
export function layerFromIR(ir: IRDocument, file?: string): PermissionLayer {
  const grant: RuleKeyword = ir.kind === 'policy' ? 'allow' : 'use';
  const layer: PermissionLayer = {
    kind: ir.kind,
    name: ir.name,
    allow: ir.permissions.use.map((r) => ruleFromIR(r, file, grant)),
    deny: ir.permissions.deny.map((r) => ruleFromIR(r, file, 'deny')),
    confirm: ir.permissions.confirm.map((r) => ruleFromIR(r, file, 'confirm')),
    budget: budgetFromIR(ir.budget),
  };
  if (ir.shells?.length) layer.shells = [...ir.shells];
  if (file !== undefined) {
    layer.file = file;
    layer.files = [file];
    // A task's relative globs keep resolving against the run's root (SPEC §4.5).
    if (ir.kind === 'policy') layer.root = policyProjectRoot(file);
  }
  return layer;
}

// ---------------------------------------------------------------------------
// JSON policies

interface Composed {
  /** undefined: this level (and its bases) does not define `allow`. */
  allow?: RuleSpec[];
  deny: RuleSpec[];
  confirm: RuleSpec[];
  budget: Record<string, number>;
  /** `shell` declarations of .aex bases (JSON policies have none of their own). */
  shells?: string[];
}

function positionOf(text: string, message: string): { line: number; column: number } {
  const m = /position (\d+)/.exec(message);
  if (!m) {
    const lc = /line (\d+) column (\d+)/.exec(message);
    return lc ? { line: Number(lc[1]), column: Number(lc[2]) } : { line: 1, column: 1 };
  }
  const before = text.slice(0, Number(m[1]));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function jsonError(file: string, message: string, line = 1, column = 1): PolicyError {
  const d: Diagnostic = { code: 'AEX130', severity: 'error', message, file, line, column };
  return new PolicyError(`${file}:${line}:${column}: ${message}`, { file, line, column, diagnostics: [d] });
}

const JSON_KEYWORD: Record<string, RuleKeyword> = { allow: 'allow', deny: 'deny', require_confirmation: 'confirm' };

/** Where a JSON document's text is, for positions of its rules. `pointer` prefixes inline bases. */
interface JsonSource {
  text: string;
  pointer: string;
}

/** Reads the rule strings of one field with the compiler's rule parser (SPEC-2 §20.1). */
function rulesFrom(list: unknown, field: string, file: string, src: JsonSource, compiler: CompilerModule, warnings: Diagnostic[]): RuleSpec[] {
  if (list === undefined) return [];
  const out: RuleSpec[] = [];
  const keyword = JSON_KEYWORD[field]!;
  (list as string[]).forEach((item, i) => {
    const where = locateJsonPointer(src.text, `${src.pointer}/${field}/${i}`);
    if (item.includes('\0')) throw jsonError(file, `Policy field "${field}" has a rule containing a NUL byte.`, where.line, where.column);
    const parsed = compiler.parseRuleText(item, keyword);
    const error = parsed.diagnostics.find((d) => d.severity === 'error');
    if (!parsed.rule || error) {
      const d: Diagnostic = { code: error?.code ?? 'AEX014', severity: 'error', message: `rule ${JSON.stringify(item)}: ${error?.message ?? 'not a rule'}`, file, ...where };
      throw new PolicyError(`${file}:${where.line}:${where.column}: ${d.code}: Policy field "${field}": ${d.message}`, { file, ...where, diagnostics: [d] });
    }
    for (const w of parsed.diagnostics) warnings.push({ ...w, message: `rule ${JSON.stringify(item)}: ${w.message}`, file, ...where });
    const r: RuleSpec = { ...parsed.rule, keyword, source: { file, ...where } };
    r.origin = `${file}#${field}`;
    out.push(r);
  });
  return out;
}

function checkBudget(budget: unknown, file: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (budget === undefined) return out;
  for (const [k, v] of Object.entries(budget as Record<string, unknown>)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw jsonError(file, `Budget "${k}" must be a non-negative integer.`);
    out[k] = v;
  }
  return out;
}

interface ComposeCtx {
  /** Base of relative globs when allow lists are intersected: the top policy's project root. */
  cwd: string;
  compiler: CompilerModule;
  warnings: Diagnostic[];
  /** Canonical paths of the files on the current extends chain (cycle detection). */
  chain: string[];
  deps: Set<string>;
  depth: number;
}

async function composeJsonObject(doc: Record<string, unknown>, file: string, dir: string, ctx: ComposeCtx, src: JsonSource): Promise<Composed> {
  let base: Composed | undefined;
  const ext = doc.extends;
  if (ext !== undefined) {
    if (ctx.depth + 1 > MAX_EXTENDS_DEPTH) {
      throw jsonError(file, `"extends" chain is deeper than ${MAX_EXTENDS_DEPTH} levels.`);
    }
    const next = { ...ctx, depth: ctx.depth + 1 };
    if (typeof ext === 'string') {
      base = await composeFile(path.resolve(dir, ext), next, file);
    } else {
      // Inline base: its own string `extends` resolves against this file's directory.
      base = await composeJsonObject(ext as Record<string, unknown>, file, dir, next, { text: src.text, pointer: `${src.pointer}/extends` });
    }
  }
  const rules = (field: string) => rulesFrom(doc[field], field, file, src, ctx.compiler, ctx.warnings);
  const own: Composed = {
    deny: rules('deny'),
    confirm: rules('require_confirmation'),
    budget: checkBudget(doc.budget, file),
  };
  if (doc.allow !== undefined) own.allow = rules('allow');
  if (!base) return own;
  const out: Composed = {
    deny: unionRules(base.deny, own.deny),
    confirm: unionRules(base.confirm, own.confirm),
    budget: minBudget(base.budget, own.budget),
  };
  // A base's shell declarations stay: they only make AEX read more calls as command lines.
  if (base.shells) out.shells = base.shells;
  // The child narrows: both define allow → intersection; otherwise whichever is defined.
  if (base.allow !== undefined && own.allow !== undefined) out.allow = intersectAllowLists(base.allow, own.allow, ctx.cwd);
  else if (base.allow !== undefined) out.allow = base.allow;
  else if (own.allow !== undefined) out.allow = own.allow;
  return out;
}

async function composeFile(file: string, ctx: ComposeCtx, referrer?: string): Promise<Composed> {
  let canonical: string;
  try {
    canonical = realpathSync(file);
  } catch (err) {
    const where = referrer ? ` (extended from ${referrer})` : '';
    throw new PolicyError(`cannot read policy ${file}${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
  }
  if (ctx.chain.includes(canonical)) {
    const cycle = [...ctx.chain.slice(ctx.chain.indexOf(canonical)), canonical].join(' -> ');
    throw new PolicyError(`policy "extends" cycle: ${cycle}`, { file: referrer ?? file });
  }
  ctx.deps.add(canonical);
  const inner: ComposeCtx = { ...ctx, chain: [...ctx.chain, canonical] };
  if (canonical.endsWith('.aex')) {
    // An .aex base: no extends of its own; its allow list counts as defined.
    const loaded = await loadAexPolicy(canonical);
    const l = loaded.layer;
    return { allow: l.allow, deny: l.deny, confirm: l.confirm, budget: l.budget, ...(l.shells ? { shells: l.shells } : {}) };
  }
  const text = readFileSync(canonical, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const { line, column } = positionOf(text, msg);
    throw jsonError(canonical, `Invalid JSON: ${msg}`, line, column);
  }
  const { validatePolicyJson } = await loadValidator();
  const v = validatePolicyJson(doc);
  if (!v.valid) {
    const diagnostics: Diagnostic[] = v.errors.map((e) => ({
      code: 'AEX130',
      severity: 'error',
      message: `${e.path}: ${e.message}`,
      file: canonical,
      ...locateJsonPointer(text, e.path),
    }));
    const first = diagnostics[0]!;
    throw new PolicyError(
      `${canonical}:${first.line}:${first.column}: policy file failed validation: ${v.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      { file: canonical, line: first.line, column: first.column, diagnostics },
    );
  }
  return composeJsonObject(doc as Record<string, unknown>, canonical, path.dirname(canonical), inner, { text, pointer: '' });
}

async function loadJsonPolicy(file: string, opts: LoadPolicyOptions): Promise<LoadedPolicy> {
  const deps = new Set<string>();
  const warnings: Diagnostic[] = [];
  const root = opts.root !== undefined ? path.resolve(opts.root) : policyProjectRoot(file);
  const compiler = await loadCompiler();
  const composed = await composeFile(file, { cwd: root, compiler, warnings, chain: [], deps, depth: 0 });
  const layer: PermissionLayer = {
    kind: 'policy',
    name: path.basename(file).replace(/\.json$/i, ''),
    file,
    allow: composed.allow ?? [],
    deny: composed.deny,
    confirm: composed.confirm,
    budget: composed.budget,
    root,
    files: [...deps],
  };
  if (composed.shells?.length) layer.shells = composed.shells;
  return { layer, file, dependencies: [...deps], warnings };
}

// ---------------------------------------------------------------------------
// .aex policies

async function loadAexPolicy(file: string): Promise<LoadedPolicy> {
  const { compileFile } = await loadCompiler();
  let result: Awaited<ReturnType<CompilerModule['compileFile']>>;
  try {
    result = await compileFile(file, { displayPath: file });
  } catch (err) {
    throw new PolicyError(`cannot compile policy ${file}: ${(err as Error).message}`, { file });
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ok || !result.ir || errors.length > 0) {
    const first = errors[0];
    const where = first ? `${file}:${first.line}:${first.column}: ${first.code}: ${first.message}` : `${file}: policy could not be compiled`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    throw new PolicyError(`${where}${more}`, {
      file,
      ...(first ? { line: first.line, column: first.column } : {}),
      diagnostics: result.diagnostics.map((d) => ({ ...d, file: d.file ?? file })),
    });
  }
  if (result.ir.kind !== 'policy') {
    throw new PolicyError(`${file} is a task contract, not a policy (its header is "task ${result.ir.name}").`, { file, line: 1, column: 1 });
  }
  return {
    layer: layerFromIR(result.ir, file),
    file,
    dependencies: [file],
    warnings: result.diagnostics.filter((d) => d.severity !== 'error'),
    ir: result.ir,
  };
}

/**
 * Loads a task contract as a permission layer (its `use`, `deny`, top-level confirm
 * rules and budget). Refuses a document with error diagnostics or a policy file.
 */
export async function loadTaskFile(file: string, opts: LoadPolicyOptions = {}): Promise<{ layer: PermissionLayer; ir: IRDocument; file: string; warnings: Diagnostic[] }> {
  const abs = path.resolve(opts.cwd ?? process.cwd(), file);
  if (!existsSync(abs)) throw new PolicyError(`contract file not found: ${abs}`, { file: abs });
  const { compileFile } = await loadCompiler();
  let result: Awaited<ReturnType<CompilerModule['compileFile']>>;
  try {
    result = await compileFile(abs, { displayPath: abs });
  } catch (err) {
    throw new PolicyError(`cannot compile contract ${abs}: ${(err as Error).message}`, { file: abs });
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ok || !result.ir || errors.length > 0) {
    const first = errors[0];
    const where = first ? `${abs}:${first.line}:${first.column}: ${first.code}: ${first.message}` : `${abs}: contract could not be compiled`;
    throw new PolicyError(where, {
      file: abs,
      ...(first ? { line: first.line, column: first.column } : {}),
      diagnostics: result.diagnostics.map((d) => ({ ...d, file: d.file ?? abs })),
    });
  }
  if (result.ir.kind !== 'task') {
    throw new PolicyError(`${abs} is a policy, not a task contract (its header is "policy ${result.ir.name}").`, { file: abs, line: 1, column: 1 });
  }
  return { layer: layerFromIR(result.ir, abs), ir: result.ir, file: abs, warnings: result.diagnostics.filter((d) => d.severity !== 'error') };
}

/**
 * Loads a policy: `.aex` by extension through the compiler, anything else as JSON.
 * Throws PolicyError for unreadable files, error diagnostics, task files, schema
 * violations, malformed rules, `extends` cycles and chains deeper than 16.
 */
export async function loadPolicyFile(file: string, opts: LoadPolicyOptions = {}): Promise<LoadedPolicy> {
  const abs = path.resolve(opts.cwd ?? process.cwd(), file);
  if (!existsSync(abs)) throw new PolicyError(`policy file not found: ${abs}`, { file: abs });
  if (!statSync(abs).isFile()) throw new PolicyError(`policy path is not a file: ${abs}`, { file: abs });
  if (abs.endsWith('.aex')) {
    const loaded = await loadAexPolicy(realpathSync(abs));
    if (opts.root !== undefined) loaded.layer.root = path.resolve(opts.root);
    return loaded;
  }
  return loadJsonPolicy(abs, opts);
}

/** `.aex/policy.aex`, then `aex.policy.aex`, in `cwd` only (no walking up). */
export function discoverPolicy(cwd: string): string | undefined {
  for (const rel of POLICY_DISCOVERY) {
    const p = path.join(cwd, rel);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Cache of compiled layers (for the Claude Code gate's start-up time)

// 2: layers carry keyword, source, command/host/url/where, shells, root and files (AEX 2).
const CACHE_FORMAT = 2;

interface CacheEntry {
  format: number;
  layer: PermissionLayer;
  deps: Array<{ file: string; sha256: string }>;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

async function loadLayerCached(
  kind: 'policy' | 'task',
  file: string,
  cacheDir: string,
  opts: LoadPolicyOptions,
): Promise<PermissionLayer> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    throw new PolicyError(`cannot read ${kind === 'task' ? 'contract' : 'policy'} ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: abs });
  }
  const key = sha256(`${CACHE_FORMAT}\0${kind}\0${abs}\0${cwd}\0${opts.root ?? ''}\0${sha256(bytes)}`);
  const entryPath = path.join(cacheDir, `${key}.json`);
  try {
    const entry = JSON.parse(readFileSync(entryPath, 'utf8')) as CacheEntry;
    if (entry.format === CACHE_FORMAT && entry.layer?.kind === kind && entry.deps.every((d) => fileHash(d.file) === d.sha256)) {
      return entry.layer;
    }
  } catch {
    // miss
  }
  let layer: PermissionLayer;
  let dependencies: string[];
  if (kind === 'policy') {
    const loaded = await loadPolicyFile(abs, { cwd, ...(opts.root !== undefined ? { root: opts.root } : {}) });
    layer = loaded.layer;
    dependencies = loaded.dependencies;
  } else {
    layer = (await loadTaskFile(abs, { cwd })).layer;
    dependencies = [];
  }
  const deps: CacheEntry['deps'] = [];
  for (const d of new Set([abs, ...dependencies])) {
    const h = d === abs ? sha256(bytes) : fileHash(d);
    if (h !== undefined) deps.push({ file: d, sha256: h });
  }
  const entry: CacheEntry = { format: CACHE_FORMAT, layer, deps };
  const tmp = `${entryPath}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, entryPath);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
  }
  return layer;
}

/**
 * Like loadPolicyFile(...).layer, but remembers the layer under `cacheDir`, keyed by
 * the sha256 of the policy's bytes (plus its path and the cwd); an entry is used only
 * when every file of its `extends` chain still has the recorded hash. The compiler
 * and ajv are imported (dynamically) only on a miss. Cache write failures are ignored.
 */
export function loadPolicyLayerCached(file: string, cacheDir: string, opts: LoadPolicyOptions = {}): Promise<PermissionLayer> {
  return loadLayerCached('policy', file, cacheDir, opts);
}

/** The task-contract counterpart of loadPolicyLayerCached (used with `--contract`). */
export function loadTaskLayerCached(file: string, cacheDir: string, opts: LoadPolicyOptions = {}): Promise<PermissionLayer> {
  return loadLayerCached('task', file, cacheDir, opts);
}
