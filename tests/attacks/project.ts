// The scratch project of the path attack tests, with every path shape the attacks need:
// a secrets folder (deny), a notes folder (the only write area), symlinks pointing into
// and out of the project, a folder outside the project that links back into secrets,
// a name with a newline, and an NFC-named folder that a rule protects.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PATHS_POLICY = `policy paths v1
goal "Path attack tests: read the project, write notes only, never secrets."
allow file.read:./**, file.write:notes/**
allow mcp.fs.*:./**, mcp.fs.note, mcp.fs.executed
deny file.read:secrets/**, file.write:secrets/**, file.read:"docs/caf\u00e9/**"
deny mcp.fs.*:secrets/**, mcp.fs.*:"docs/caf\u00e9/**"
`;

export interface AttackProject {
  base: string;
  /** Real path of the project root. */
  root: string;
  /** A folder beside the project, outside it. */
  outside: string;
  stateDir: string;
  policy: string;
  cleanup(): void;
}

export function makeAttackProject(): AttackProject {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-attacks-')));
  const root = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  const stateDir = path.join(base, 'state');
  for (const d of ['.aex', 'src', 'notes', 'secrets/sub', 'docs/caf\u00e9', 'links']) mkdirSync(path.join(root, d), { recursive: true });
  mkdirSync(outside);
  mkdirSync(stateDir);
  const files: Record<string, string> = {
    'README.md': '# attacks\n',
    'src/a.ts': 'export {};\n',
    'secrets/key': 'not-a-real-secret\n',
    'secrets/sub/inner': 'inner\n',
    'secrets/x\ny': 'newline name\n',
    'docs/caf\u00e9/x.md': 'private\n',
  };
  for (const [f, t] of Object.entries(files)) writeFileSync(path.join(root, f), t);
  writeFileSync(path.join(outside, 'x.txt'), 'outside\n');
  symlinkSync('secrets', path.join(root, 'inlink')); // in the project, into secrets/
  symlinkSync(outside, path.join(root, 'outlink')); // in the project, out of it
  symlinkSync('../secrets/sub', path.join(root, 'notes', 'deep')); // write area -> secrets/sub
  symlinkSync('../secrets', path.join(root, 'notes', 'esc')); // write area -> secrets
  symlinkSync(path.join(root, 'secrets'), path.join(outside, 'back')); // outside -> secrets/
  const policy = path.join(root, '.aex', 'policy.aex');
  writeFileSync(policy, PATHS_POLICY);
  return { base, root, outside, stateDir, policy, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
