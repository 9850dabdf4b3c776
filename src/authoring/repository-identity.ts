// The identity of the repository a signed file lives in (aex/signature@v3, docs/authoring.md).
// A v3 signature binds it, so a copy of a signed contract moved into another repository
// under the same relative path does not verify there.
//
// The identity is, in order of precedence:
//   1. an id given on the command line (`--repo-id ID`)          -> "id:ID"
//   2. the repository's own git config key `aex.repositoryId`     -> "id:ID"
//      (read with --local only: a global value would give every repository the same id)
//   3. the repository's root commit (the oldest if it has several) -> "commit:SHA"
// The prefix keeps a configured id from ever being read as a commit and the other way round.
// Anything git cannot answer is an error, never a guess: a repository without a commit and
// without an id, a shallow clone (whose oldest commit is not the root) or a file outside
// any repository without an id cannot be signed or verified under v3.

import { execFileSync } from 'node:child_process';
import { GIT_HARDENING, gitEnv } from '../runtime/tools/git-exec.js';
import { AexError } from '../errors.js';

export class RepositoryIdentityError extends AexError {}

/** What a configured id may look like: printable, no spaces, bounded. */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;
/** The stored form of an identity. */
export const REPOSITORY_FIELD = /^(id:[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}|commit:[0-9a-f]{40}([0-9a-f]{24})?)$/;

const HOW_TO_GIVE_AN_ID = 'give one with --repo-id ID (or `git config aex.repositoryId ID` in the repository)';

export function validateRepoId(id: string): string {
  if (!REPO_ID.test(id)) {
    throw new RepositoryIdentityError(
      `invalid repository id ${JSON.stringify(id)}: use 1-200 letters, digits and . _ : / @ + - (starting with a letter or digit)`,
    );
  }
  return id;
}

/** git hardened as the git tools run it (no hooks, fsmonitor, system config or inherited GIT_*), finding root/.git and nothing above it. */
function git(args: string[], root: string): string {
  return execFileSync('git', [...GIT_HARDENING, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
    env: gitEnv(root),
  });
}

function configuredId(root: string): string | undefined {
  let out: string;
  try {
    out = git(['config', '--local', '--get', 'aex.repositoryId'], root);
  } catch (err) {
    // exit 1 = the key is not set; anything else (unreadable config, no git) is an error
    if ((err as { status?: number }).status === 1) return undefined;
    throw new RepositoryIdentityError(`cannot read the git repository at ${root} (${firstLine(err)}); ${HOW_TO_GIVE_AN_ID}`);
  }
  const id = out.trim();
  return id === '' ? undefined : validateRepoId(id);
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string | Buffer; message?: string };
  const text = String(e.stderr ?? '').trim() || String(e.message ?? err);
  return text.split('\n')[0]!;
}

function rootCommit(root: string): string {
  let shallow: string;
  try {
    shallow = git(['rev-parse', '--is-shallow-repository'], root).trim();
  } catch (err) {
    throw new RepositoryIdentityError(`cannot read the git repository at ${root} (${firstLine(err)}); ${HOW_TO_GIVE_AN_ID}`);
  }
  if (shallow !== 'false') {
    throw new RepositoryIdentityError(
      `the git repository at ${root} is a shallow clone, so its root commit is unknown; fetch its whole history (git fetch --unshallow) or ${HOW_TO_GIVE_AN_ID}`,
    );
  }
  let out: string;
  try {
    out = git(['rev-list', '--max-parents=0', '--timestamp', 'HEAD', '--'], root);
  } catch {
    throw new RepositoryIdentityError(`the git repository at ${root} has no commit to identify it; commit first, or ${HOW_TO_GIVE_AN_ID}`);
  }
  const roots = out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^(\d+) ([0-9a-f]{40}|[0-9a-f]{64})$/.exec(l.trim());
      if (!m) throw new RepositoryIdentityError(`unexpected output of git rev-list in ${root}: ${JSON.stringify(l)}`);
      return { time: Number(m[1]), sha: m[2]! };
    });
  if (roots.length === 0) {
    throw new RepositoryIdentityError(`the git repository at ${root} has no commit to identify it; commit first, or ${HOW_TO_GIVE_AN_ID}`);
  }
  // The oldest root; equal times are ordered by hash so the choice never depends on git's output order.
  roots.sort((a, b) => a.time - b.time || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  return roots[0]!.sha;
}

/**
 * The identity of the repository rooted at `root` ("id:…" or "commit:…").
 * `inRepository` is false when no `.git` was found and `root` is only the current directory.
 */
export function repositoryIdentity(root: string, opts: { repoId?: string; inRepository: boolean }): string {
  if (opts.repoId !== undefined) return `id:${validateRepoId(opts.repoId)}`;
  if (!opts.inRepository) {
    throw new RepositoryIdentityError(`${root} is not inside a git repository, so it has no identity; ${HOW_TO_GIVE_AN_ID.replace(/ \(or .*\)$/, '')}`);
  }
  const configured = configuredId(root);
  if (configured !== undefined) return `id:${configured}`;
  return `commit:${rootCommit(root)}`;
}
