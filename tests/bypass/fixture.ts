// The scratch project every bypass line is judged in: the corpus policy at
// ROOT/.aex/policy.aex, a few ordinary files, a secrets folder, and two symlinks — one
// into the secrets folder, one out of the project. Nothing in it is ever executed.

import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BYPASS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_FILE = path.join(BYPASS_DIR, 'corpus.json');
export const POLICY_FILE = path.join(BYPASS_DIR, 'policy.aex');

export type Expect = 'allow' | 'deny' | 'not_allowed' | 'confirm';

export interface CorpusLine {
  line: string;
  expect: Expect;
  why: string;
  source?: string;
}

export interface BypassProject {
  /** Real path of the project root. */
  root: string;
  policy: string;
  /** A state folder outside the project, for the gate's budget and audit. */
  stateDir: string;
  cleanup(): void;
}

export function makeBypassProject(): BypassProject {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-bypass-')));
  const root = path.join(base, 'project');
  const stateDir = path.join(base, 'state');
  for (const d of ['.aex', 'src', 'secrets', 'docs', '.git/hooks', stateDir]) mkdirSync(path.resolve(root, d), { recursive: true });
  const files: Record<string, string> = {
    'README.md': '# bypass fixture\n',
    'package.json': '{"name":"bypass-fixture","scripts":{"test":"true"}}\n',
    'notes.txt': 'notes\n',
    'src/index.ts': 'export const a = 1;\n',
    'src/util.ts': 'export const b = 2;\n',
    'secrets/key': 'not-a-real-secret\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
  const policy = path.join(root, '.aex', 'policy.aex');
  copyFileSync(POLICY_FILE, policy);
  symlinkSync('secrets', path.join(root, 'link-to-secrets'));
  symlinkSync('/etc', path.join(root, 'link-out'));
  return { root, policy, stateDir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
