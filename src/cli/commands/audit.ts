import type { CAC } from 'cac';
import { statSync } from 'node:fs';
import { stringOption } from '../raw-argv.js';
import { AuditKeyError, readAuditKey } from '../../audit/key.js';
import { followFiles } from '../../audit/follow.js';
import { readRawLines } from '../../audit/lines.js';
import { COLOURS, PLAIN, SurfaceGuess, eventFilter, formatRow, headerLine, parseSince, timelineRow, widthsFor, type ShowFilter, type TimelineRow, type Verdict } from '../../audit/show.js';
import { verifyAuditFile, type VerifyReport } from '../../audit/verify.js';
import { CliError } from '../errors.js';
import { EXIT } from '../../exit-codes.js';

// `aex audit verify|show FILE…` (docs/audit.md). Exit codes of verify: 0 intact, 1 a break
// in any file, 2 a usage error (CliError with code 2).

interface AuditFlags {
  keyFile?: unknown;
  chainId?: unknown;
  json?: unknown;
  decision?: unknown;
  tool?: unknown;
  since?: unknown;
  follow?: unknown;
}

export interface AuditIo {
  out(s: string): void;
  err(s: string): void;
  /** Colour the timeline (a terminal without NO_COLOR). */
  colour: boolean;
  signal?: AbortSignal;
  followIntervalMs?: number;
}

const usage = (message: string) => new CliError(message, 2);

function existingFiles(files: string[]): string[] {
  if (files.length === 0) throw usage('give at least one audit FILE');
  for (const f of files) {
    let isFile = false;
    try {
      isFile = statSync(f).isFile();
    } catch {
      throw usage(`cannot read ${f}`);
    }
    if (!isFile) throw usage(`${f} is not a file`);
  }
  return files;
}

export interface VerifyFlags {
  keyFile?: string;
  chainId?: string;
  json?: boolean;
}

/** `aex audit verify`: the exit code (0 intact, 1 any break). */
export function auditVerify(files: string[], flags: VerifyFlags, io: AuditIo): number {
  existingFiles(files);
  let key: Buffer | undefined;
  if (flags.keyFile !== undefined) {
    if (flags.keyFile === '') throw usage('--key-file needs a FILE');
    try {
      key = readAuditKey(flags.keyFile);
    } catch (err) {
      if (err instanceof AuditKeyError) throw usage(err.message);
      throw err;
    }
  }
  const reports: Array<{ file: string } & VerifyReport> = files.map((file) => ({
    file,
    ...verifyAuditFile(file, { ...(key ? { key } : {}), ...(flags.chainId !== undefined ? { chainId: flags.chainId } : {}) }),
  }));
  const ok = reports.every((r) => r.ok);
  if (flags.json) {
    io.out(JSON.stringify({ ok, files: reports }) + '\n');
    return ok ? EXIT.ok : EXIT.failed;
  }
  for (const r of reports) {
    if (r.break) io.out(`✖ ${r.file}:${r.break.line}: ${r.break.kind}: ${r.break.message}\n`);
    else {
      const sealed = r.seals === 0 ? 'no seals' : `${r.seals} seal${r.seals === 1 ? '' : 's'}${r.keyChecked ? ' checked with the key' : ' (not checked: no --key-file)'}`;
      io.out(`✔ ${r.file}: intact, ${r.lines} line${r.lines === 1 ? '' : 's'}, ${sealed}\n`);
    }
    for (const w of r.warnings) io.err(`warn ${r.file}: ${w}\n`);
  }
  return ok ? EXIT.ok : EXIT.failed;
}

export interface ShowFlags {
  decision?: string;
  tool?: string;
  since?: string;
  follow?: boolean;
  json?: boolean;
}

function showFilter(flags: ShowFlags): ShowFilter {
  const f: ShowFilter = {};
  if (flags.decision !== undefined) {
    if (!['deny', 'confirm', 'allow'].includes(flags.decision)) throw usage(`--decision is deny, confirm or allow, not ${JSON.stringify(flags.decision)}`);
    f.decision = flags.decision as Verdict;
  }
  if (flags.tool !== undefined) {
    if (flags.tool === '') throw usage('--tool needs a PATTERN');
    f.tool = flags.tool;
  }
  if (flags.since !== undefined) {
    const t = parseSince(flags.since);
    if (t === undefined) throw usage(`--since is an ISO time (2026-01-05T10:00Z) or a span (30m, 2h, 7d), not ${JSON.stringify(flags.since)}`);
    f.since = t;
  }
  return f;
}

function parseLine(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `aex audit show`: prints the timeline (or the matching raw lines); with follow, keeps going until aborted. */
export async function auditShow(files: string[], flags: ShowFlags, io: AuditIo): Promise<number> {
  existingFiles(files);
  const keep = eventFilter(showFilter(flags));
  const paint = io.colour ? COLOURS : PLAIN;
  const guesses = new Map(files.map((f) => [f, new SurfaceGuess()]));
  const rows: Array<{ row: TimelineRow; raw: Buffer }> = [];
  const offsets = new Map<string, number>();
  let unreadable = 0;
  const take = (file: string, bytes: Buffer): { row: TimelineRow; raw: Buffer } | undefined => {
    const e = parseLine(bytes);
    if (!e) {
      unreadable++;
      return undefined;
    }
    const surface = guesses.get(file)!.of(e);
    if (!keep(e)) return undefined;
    const row = timelineRow(e, surface);
    return row ? { row, raw: bytes } : undefined;
  };
  for (const file of files) {
    let size = 0;
    for (const l of readRawLines(file)) {
      size += l.bytes.length + (l.terminated ? 1 : 0);
      if (!l.terminated) {
        size -= l.bytes.length; // a partial last line: --follow reads it again once it is complete
        break;
      }
      const r = take(file, l.bytes);
      if (r) rows.push(r);
    }
    offsets.set(file, size);
  }
  // Several logs make one timeline, in time order (stable for equal times).
  if (files.length > 1) rows.sort((a, b) => (a.row.ts < b.row.ts ? -1 : a.row.ts > b.row.ts ? 1 : 0));
  const widths = widthsFor(
    rows.map((r) => r.row),
    60,
  );
  if (flags.follow) widths.surface = Math.max(widths.surface, 10);
  if (flags.json) for (const r of rows) io.out(r.raw.toString('utf8') + '\n');
  else {
    if (rows.length > 0 || flags.follow) io.out(paint.dim(headerLine(widths)) + '\n');
    for (const r of rows) io.out(formatRow(r.row, widths, paint) + '\n');
    if (rows.length === 0 && !flags.follow) io.err('no decisions match\n');
  }
  if (unreadable > 0) io.err(`warn ${unreadable} line${unreadable === 1 ? ' is' : 's are'} not JSON objects and were skipped (aex audit verify says where)\n`);
  if (flags.follow) {
    await followFiles(
      offsets,
      (file, bytes) => {
        const r = take(file, bytes);
        if (!r) return;
        io.out(flags.json ? r.raw.toString('utf8') + '\n' : formatRow(r.row, widths, paint) + '\n');
      },
      { ...(io.signal ? { signal: io.signal } : {}), ...(io.followIntervalMs !== undefined ? { intervalMs: io.followIntervalMs } : {}) },
    );
  }
  return EXIT.ok;
}

function processIo(signal?: AbortSignal): AuditIo {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    colour: process.stdout.isTTY === true && (process.env.NO_COLOR ?? '') === '',
    ...(signal ? { signal } : {}),
  };
}

export function register(cli: CAC): void {
  cli
    .command('audit <action> [...files]', 'Check an audit log’s hash chain and seals (verify), or read its decisions as a timeline (show)')
    .option('--key-file <path>', 'verify: the audit key; checks every seal and that every line is sealed')
    .option('--chain-id <id>', 'verify: the run or session id the first line must link to')
    .option('--decision <verdict>', 'show: only deny, confirm or allow')
    .option('--tool <pattern>', 'show: only tools matching this glob (capability or host tool name)')
    .option('--since <time>', 'show: only decisions since an ISO time or a span back from now (30m, 2h, 7d)')
    .option('--follow', 'show: keep printing decisions as they are appended')
    .option('--json', 'verify: a JSON report; show: the matching raw lines')
    .example('aex audit verify .aex/runs/fix-test.audit.jsonl --key-file ~/.config/aex/audit.key')
    .example('aex audit show ~/.local/state/aex/projects/*/audit/gate-*.jsonl --decision deny --since 2h')
    .action(async (action: string, files: string[], opts: AuditFlags) => {
      const json = opts.json === true;
      if (action === 'verify') {
        const keyFile = stringOption(opts.keyFile, ['key-file']);
        const chainId = stringOption(opts.chainId, ['chain-id']);
        process.exitCode = auditVerify(files, { json, ...(keyFile !== undefined ? { keyFile } : {}), ...(chainId !== undefined ? { chainId } : {}) }, processIo());
        return;
      }
      if (action === 'show') {
        const flags: ShowFlags = { json, follow: opts.follow === true };
        const decision = stringOption(opts.decision, ['decision']);
        const tool = stringOption(opts.tool, ['tool']);
        const since = stringOption(opts.since, ['since']);
        if (decision !== undefined) flags.decision = decision;
        if (tool !== undefined) flags.tool = tool;
        if (since !== undefined) flags.since = since;
        const stop = new AbortController();
        if (flags.follow) process.once('SIGINT', () => stop.abort());
        process.exitCode = await auditShow(files, flags, processIo(stop.signal));
        return;
      }
      throw usage(`aex audit verify|show FILE…, not "${action}"`);
    });
}
