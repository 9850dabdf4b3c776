// A throw-away project for the gate's build and bench scripts: `.aex/policy.aex` holding
// the given policy lines and one source file, src/index.ts, in a fresh temporary folder.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `{ base, project }`: the temporary folder (the caller removes it) and the project inside it. */
export function scratchProject(prefix, policyLines) {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  const project = path.join(base, 'project');
  mkdirSync(path.join(project, '.aex'), { recursive: true });
  mkdirSync(path.join(project, 'src'));
  writeFileSync(path.join(project, 'src', 'index.ts'), 'export {};\n');
  writeFileSync(path.join(project, '.aex', 'policy.aex'), [...policyLines, ''].join('\n'));
  return { base, project };
}
