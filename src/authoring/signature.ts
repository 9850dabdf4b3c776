// Signature files (docs/cli.md, docs/design.md#the-kernel; docs/authoring.md). A v3 signature authenticates
// the whole record — schema, repository-relative path, repository identity, content hash,
// signer and time — so editing any of them, moving the file (within the repository or into
// another one) or hand-writing a record fails verification. `aex sign` writes v3 only; v2
// (no repository identity) verifies with a warning, v1 (HMAC over the hash alone) only when
// the caller allows it explicitly.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { BoundedReadError, readBoundedText } from '../io/bounded-read.js';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { canonicalJson } from './canonical-json.js';
import { REPOSITORY_FIELD, RepositoryIdentityError, repositoryIdentity } from './repository-identity.js';
import { AexError } from '../errors.js';

export const SIGNATURE_V3 = 'aex/signature@v3';
export const SIGNATURE_V2 = 'aex/signature@v2';
export const SIGNATURE_V1 = 'aex/signature@v1';

export interface SignatureV2 {
  schema: typeof SIGNATURE_V2;
  file: string;
  hash: string;
  signer: string;
  signedAt: string;
  signature: string;
  keyHint: string;
  tool: string;
}

/** A v2 record that also binds the repository. */
export interface SignatureV3 extends Omit<SignatureV2, 'schema'> {
  schema: typeof SIGNATURE_V3;
  /** "commit:<root commit>" or "id:<configured id>" (src/authoring/repository-identity.ts). */
  repository: string;
}

/** The legacy record: the same fields, the key hint and tool name optional. */
interface SignatureV1 extends Omit<SignatureV2, 'schema' | 'keyHint' | 'tool'> {
  schema: typeof SIGNATURE_V1;
  keyHint?: string;
  tool?: string;
}

export class SignatureError extends AexError {}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX12 = /^[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** Identifies the key without revealing anything usable about it. */
export function keyHint(key: string): string {
  return hmacHex(key, 'aex-key-hint').slice(0, 12);
}

/** The nearest directory at or above `start` that contains `.git` (a directory or a worktree file), else `fallback` (found: false). */
export function locateRepository(start: string, fallback: string = process.cwd()): { root: string; found: boolean } {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return { root: dir, found: true };
    const parent = dirname(dir);
    if (parent === dir) return { root: resolve(fallback), found: false };
    dir = parent;
  }
}

/** The nearest directory at or above `start` that contains `.git` (a directory or a worktree file), else `fallback`. */
export function findRepoRoot(start: string, fallback: string = process.cwd()): string {
  return locateRepository(start, fallback).root;
}

function canonicalPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Path of `file` relative to its repository root, with `/` separators. */
export function repoRelativePath(file: string, cwd: string = process.cwd()): string {
  return locateFile(file, cwd).rel;
}

/** Where `file` sits: its repository root (or the cwd when there is none) and its path relative to that root. */
function locateFile(file: string, cwd: string): { root: string; found: boolean; rel: string } {
  const abs = canonicalPath(resolve(cwd, file));
  const { root, found } = locateRepository(dirname(abs), cwd);
  const canonicalRoot = canonicalPath(root);
  const rel = relative(canonicalRoot, abs);
  return { root: canonicalRoot, found, rel: (rel === '' ? '.' : rel).split(sep).join('/') };
}

/** The identity of the repository `file` is in; a SignatureError says how to give one when there is none. */
function identityOf(file: string, cwd: string, repoId: string | undefined): string {
  const { root, found } = locateFile(file, cwd);
  try {
    return repositoryIdentity(root, { repoId, inRepository: found });
  } catch (err) {
    if (err instanceof RepositoryIdentityError) throw new SignatureError(err.message);
    throw err;
  }
}

/** The bytes the HMAC covers: every field of the record but the signature itself, the key hint and the tool name. */
type SignedFields<S> = Pick<S, Extract<keyof S, 'schema' | 'file' | 'repository' | 'hash' | 'signer' | 'signedAt'>>;

function signedPayload(sig: SignedFields<SignatureV3> | SignedFields<SignatureV2>): string {
  const record: Record<string, string> = { schema: sig.schema, file: sig.file, hash: sig.hash, signer: sig.signer, signedAt: sig.signedAt };
  if (sig.schema === SIGNATURE_V3) record.repository = sig.repository;
  return canonicalJson(record);
}

function readTarget(file: string, cwd: string): { abs: string; bytes: Buffer } {
  const abs = resolve(cwd, file);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new SignatureError(`File not found: ${abs}`);
  }
  if (!st.isFile()) throw new SignatureError(`Not a regular file: ${abs}`);
  return { abs, bytes: readFileSync(abs) };
}

/** A v3 signature of `file`; throws SignatureError (nothing is written) when the file or its repository identity cannot be read. */
export function createSignature(
  file: string,
  opts: { signer: string; key: string; repoId?: string; cwd?: string; now?: Date },
): { abs: string; signature: SignatureV3 } {
  const cwd = opts.cwd ?? process.cwd();
  const { abs, bytes } = readTarget(file, cwd);
  const rel = repoRelativePath(abs, cwd);
  if (rel === '..' || rel.startsWith('../')) {
    // Such a record could never verify (paths must stay inside the root).
    throw new SignatureError(`${abs} is outside the repository (and outside the current directory); sign it from its repository`);
  }
  const repository = identityOf(abs, cwd, opts.repoId);
  const record = {
    schema: SIGNATURE_V3,
    file: rel,
    repository,
    hash: sha256Hex(bytes),
    signer: opts.signer,
    signedAt: (opts.now ?? new Date()).toISOString(),
  } as const;
  const signature: SignatureV3 = {
    ...record,
    signature: hmacHex(opts.key, signedPayload(record)),
    keyHint: keyHint(opts.key),
    tool: 'aex-cli',
  };
  return { abs, signature };
}

export interface VerifyOutcome {
  ok: boolean;
  abs: string;
  /** Why verification failed (when !ok). */
  reason?: string;
  warnings: string[];
}

function fieldError(msg: string): never {
  throw new SignatureError(`invalid signature file: ${msg}`);
}

function requireString(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.length === 0) fieldError(`field "${key}" must be a non-empty string`);
  return v;
}

/** Parses and validates the structure of a signature file (v1, v2 or v3); throws SignatureError. */
export function parseSignatureFile(text: string): SignatureV3 | SignatureV2 | SignatureV1 {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fieldError('not valid JSON (truncated or corrupted?)');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fieldError('top level must be a JSON object');
  const obj = doc as Record<string, unknown>;
  const schema = obj.schema;
  if (schema !== SIGNATURE_V3 && schema !== SIGNATURE_V2 && schema !== SIGNATURE_V1) {
    fieldError(
      schema === undefined
        ? `missing "schema" (expected "${SIGNATURE_V3}")`
        : `unsupported schema ${JSON.stringify(schema)} (expected "${SIGNATURE_V3}")`,
    );
  }
  const allowed = new Set(['schema', 'file', 'hash', 'signer', 'signedAt', 'signature', 'keyHint', 'tool']);
  if (schema === SIGNATURE_V3) allowed.add('repository');
  for (const k of Object.keys(obj)) if (!allowed.has(k)) fieldError(`unknown field "${k}"`);
  const file = requireString(obj, 'file');
  const hash = requireString(obj, 'hash');
  const signer = requireString(obj, 'signer');
  const signedAt = requireString(obj, 'signedAt');
  const signature = requireString(obj, 'signature');
  if (!HEX64.test(hash)) fieldError('"hash" must be 64 lower-case hex characters');
  if (!HEX64.test(signature)) fieldError('"signature" must be 64 lower-case hex characters');
  if (!ISO_TIME.test(signedAt) || Number.isNaN(Date.parse(signedAt))) fieldError('"signedAt" must be an ISO-8601 time');
  if (obj.tool !== undefined && typeof obj.tool !== 'string') fieldError('"tool" must be a string');
  if (schema === SIGNATURE_V3 || schema === SIGNATURE_V2) {
    if (isAbsolute(file) || file.split('/').includes('..') || file.includes('\\')) {
      fieldError('"file" must be a path relative to the repository root');
    }
    const hint = requireString(obj, 'keyHint');
    if (!HEX12.test(hint)) fieldError('"keyHint" must be 12 lower-case hex characters');
    const tool = typeof obj.tool === 'string' ? obj.tool : 'aex-cli';
    if (schema === SIGNATURE_V2) return { schema, file, hash, signer, signedAt, signature, keyHint: hint, tool };
    const repository = requireString(obj, 'repository');
    if (!REPOSITORY_FIELD.test(repository)) fieldError('"repository" must be "commit:<hex commit id>" or "id:<repository id>"');
    return { schema, file, repository, hash, signer, signedAt, signature, keyHint: hint, tool };
  }
  if (obj.keyHint !== undefined && typeof obj.keyHint !== 'string') fieldError('"keyHint" must be a string');
  return { schema, file, hash, signer, signedAt, signature, keyHint: obj.keyHint as string | undefined, tool: obj.tool as string | undefined };
}

function hexEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

export function verifySignature(
  file: string,
  signatureText: string,
  opts: { key: string; expectedSigner?: string; cwd?: string; repoId?: string; allowV1?: boolean },
): VerifyOutcome {
  const cwd = opts.cwd ?? process.cwd();
  const sig = parseSignatureFile(signatureText);
  const { abs, bytes } = readTarget(file, cwd);
  const warnings: string[] = [];
  const fail = (reason: string): VerifyOutcome => ({ ok: false, abs, reason, warnings });

  if (sig.schema === SIGNATURE_V1) {
    if (opts.allowV1 !== true) {
      return fail(
        `the signature uses the legacy schema ${SIGNATURE_V1}, which authenticates only the file hash (not the signer, time, path or repository); re-sign the file with aex sign (or pass --allow-v1 to accept it once)`,
      );
    }
    warnings.push(
      'signature uses the legacy schema aex/signature@v1, which authenticates only the file hash (not the signer, time or path); re-sign to upgrade to aex/signature@v2',
    );
    if (!hexEqual(hmacHex(opts.key, sig.hash), sig.signature)) return fail('the signature does not match (wrong key or forged signature)');
    if (!hexEqual(sha256Hex(bytes), sig.hash)) return fail('the file content changed since it was signed');
    if (opts.expectedSigner !== undefined && sig.signer !== opts.expectedSigner) {
      return fail(`Signature signer mismatch: expected ${opts.expectedSigner}, found ${sig.signer}`);
    }
    return { ok: true, abs, warnings };
  }

  // Authenticity of the record first: every later comparison relies on its fields.
  if (!hexEqual(hmacHex(opts.key, signedPayload(sig)), sig.signature)) {
    if (sig.keyHint !== keyHint(opts.key)) {
      return fail('the signature was made with a different key (key hints differ)');
    }
    return fail('the signature does not match its record (signer, time, path or hash were edited)');
  }
  const rel = repoRelativePath(abs, cwd);
  if (rel !== sig.file) return fail(`the signature is for ${sig.file}, not ${rel} (moved or renamed file)`);
  if (sig.schema === SIGNATURE_V3) {
    const here = identityOf(abs, cwd, opts.repoId);
    if (!hexEqual(here, sig.repository)) {
      return fail(`the signature is for the repository ${sig.repository}, not ${here} (a copy in another repository, or a different --repo-id)`);
    }
  } else {
    warnings.push(
      `the signature uses the schema ${SIGNATURE_V2}, which does not bind the repository (a copy of the file at the same path in another repository verifies too); re-sign the file with aex sign to upgrade to ${SIGNATURE_V3}`,
    );
  }
  if (!hexEqual(sha256Hex(bytes), sig.hash)) return fail('the file content changed since it was signed');
  if (opts.expectedSigner !== undefined && sig.signer !== opts.expectedSigner) {
    return fail(`Signature signer mismatch: expected ${opts.expectedSigner}, found ${sig.signer}`);
  }
  return { ok: true, abs, warnings };
}

/** Resolves `--key` / `--key-file` (exactly one); a key file's contents are trimmed. */
export function resolveKey(opts: { key?: string; keyFile?: string; cwd?: string }): string {
  const hasKey = opts.key !== undefined;
  const hasFile = opts.keyFile !== undefined;
  if (hasKey === hasFile) throw new SignatureError('give exactly one of --key SECRET or --key-file PATH');
  let key: string;
  if (hasFile) {
    const p = resolve(opts.cwd ?? process.cwd(), opts.keyFile!);
    try {
      key = readBoundedText(p, { what: 'key file', maxBytes: 64 * 1024 }).trim();
    } catch (err) {
      throw new SignatureError(err instanceof BoundedReadError ? err.message : `cannot read key file ${p}`);
    }
    if (key === '') throw new SignatureError(`key file ${p} is empty`);
  } else {
    key = opts.key!;
    if (key === '') throw new SignatureError('--key must not be empty');
  }
  return key;
}
