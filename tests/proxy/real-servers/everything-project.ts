// The scratch project of the server-everything tests (over stdio and over the 2026 listener):
// its binary, and a project whose policy allows a few of its tools, one resource and one
// prompt, and denies get-env.

import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const EVERYTHING = path.resolve('node_modules/.bin/mcp-server-everything');

/** A new project folder (the caller removes it) whose `.aex/policy.aex` says `goal`. */
export function everythingProject(prefix: string, goal: string): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  mkdirSync(path.join(dir, '.aex'));
  writeFileSync(
    path.join(dir, '.aex', 'policy.aex'),
    [
      'policy p v0',
      `goal "${goal}"`,
      'allow mcp.ev.echo, mcp.ev.get-sum, mcp.ev.trigger-sampling-request, mcp.ev.trigger-elicitation-request, mcp.ev.get-roots-list, mcp.ev.trigger-long-running-operation',
      'allow mcp.ev.resources.read where uri == "demo://resource/dynamic/text/1"',
      'allow mcp.ev.prompts.get where name == "simple-prompt"',
      'deny mcp.ev.get-env',
      '',
    ].join('\n'),
  );
  return dir;
}
