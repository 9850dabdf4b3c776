// JSON policies (`aex run --policy FILE.json`): validated against the published schema,
// rules read with the compiler's rule parser, `extends` chains composed so that a child
// can only narrow its base. Each file of a chain is read with the bounded reader, cycles
// are errors and chains are at most 16 deep.

import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import type { PermissionLayer, RuleKeyword, RuleSpec } from '../../rules/types.js';
import { intersectAllowLists } from '../../rules/intersect.js';
import { minBudget, unionRules } from '../../rules/merge.js';
import { loadAexPolicy } from './aex-policy.js';
import { type CompilerModule, loadCompiler, loadValidator, readPolicySource } from './compile-document.js';
import { PolicyError } from './errors.js';
import { locateJsonPointer } from './json-locate.js';
import { policyProjectRoot } from './layer-from-ir.js';
import type { LoadedPolicy, LoadPolicyOptions } from './types.js';

export const MAX_EXTENDS_DEPTH = 16;

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

/** Reads the rule strings of one field with the compiler's rule parser (docs/language.md). */
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
    const loaded = await loadAexPolicy(canonical, referrer);
    const l = loaded.layer;
    return { allow: l.allow, deny: l.deny, confirm: l.confirm, budget: l.budget, ...(l.shells ? { shells: l.shells } : {}) };
  }
  const text = readPolicySource(canonical, 'policy', referrer).toString('utf8');
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

/** Loads JSON policy `file` (absolute) with its `extends` chain. */
export async function loadJsonPolicy(file: string, opts: LoadPolicyOptions): Promise<LoadedPolicy> {
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
