// What the Codex and Gemini end-to-end suites check the same way: the shell calls every
// session scripts (denied, allowed, compound), the gate audit a session left behind, and
// the case where `aex` and `node` on PATH are stand-ins that would allow everything. Each suite brings only its client: how a shell call is scripted and how a
// session is played.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeToolsDir, makeScratch, type Scratch, type ScratchOptions } from '../codex/scratch.js';

export interface ShellVerdicts {
  /** What the answer to the scripted call `label` showed the model. */
  output: (label: string) => { text: string };
  /** The session's scratch project (read once the session has run). */
  project: () => string;
  /** How the client reports a call its hook blocked with AEX's denial. */
  blocked: RegExp;
}

/**
 * The shell turns both suites script, labelled `denied` (`sudo …`), `allowed` (writes
 * allowed.txt), and `compound &&`, `compound pipe`, `command substitution`, `nested shell`
 * (each hides a `sudo` and would write compound.txt, piped.txt or substituted.txt).
 */
export function itJudgesShellCalls(c: ShellVerdicts): void {
  it("blocks a denied call and tells the model AEX's reason", () => {
    expect(c.output('denied').text).toMatch(c.blocked);
    expect(c.output('denied').text).toContain(`deny shell.exec:"sudo *"`);
    expect(c.output('denied').text).toContain('.aex/policy.aex:');
  });

  it('runs an allowed call', () => {
    expect(c.output('allowed').text).not.toMatch(/blocked/);
    expect(readFileSync(path.join(c.project(), 'allowed.txt'), 'utf8')).toBe('hi\n');
  });

  it('blocks a compound command with one denied part, and none of it runs', () => {
    for (const label of ['compound &&', 'compound pipe', 'command substitution', 'nested shell']) {
      expect(c.output(label).text, label).toMatch(c.blocked);
      expect(c.output(label).text, label).toContain('sudo');
    }
    for (const f of ['compound.txt', 'piped.txt', 'substituted.txt']) expect(existsSync(path.join(c.project(), f)), f).toBe(false);
  });
}

/** The gate's audit files (the .jsonl files under the scratch project's state folder; one per session). */
export function auditFiles(scratch: Scratch): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.jsonl')) files.push(p);
    }
  };
  walk(scratch.stateDir);
  return files;
}

/** Every audit line, concatenated. */
export function auditText(scratch: Scratch): string {
  return auditFiles(scratch)
    .map((f) => readFileSync(f, 'utf8'))
    .join('');
}

/** Every audit line, parsed. */
export function auditLines(scratch: Scratch): Record<string, unknown>[] {
  return auditText(scratch)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface WithoutAexOnPath<Turn> {
  host: ScratchOptions['host'];
  /** The scripted turn that runs `command` in the client's shell tool. */
  shell: (command: string) => Turn;
  /** Plays `turns` with PATH replaced by `pathOverride`; the text each call's answer showed the model, in order. */
  play: (scratch: Scratch, turns: Turn[], pathOverride: string) => Promise<string[]>;
  /** How the client reports a call its hook blocked with AEX's denial. */
  blocked: RegExp;
  /** The suite's scratch projects (removed by the suite). */
  scratches: Scratch[];
}

/**
 * Stand-ins for `aex` and `node` that would allow everything come first on PATH: the hook
 * must name its node and bin/aex.js by absolute path and never reach them.
 */
export function describeWithoutAexOnPath<Turn>(c: WithoutAexOnPath<Turn>): void {
  describe('without aex on PATH', () => {
    let scratch: Scratch;
    let texts: string[];

    beforeAll(async () => {
      scratch = makeScratch({ host: c.host });
      c.scratches.push(scratch);
      const fake = fakeToolsDir(scratch.base);
      texts = await c.play(scratch, [c.shell('sudo id'), c.shell('echo ok > path-ok.txt')], `${fake}:/usr/bin:/bin`);
    });

    it('still blocks a denied call with AEX\'s own reason', () => {
      expect(texts[0]).toMatch(c.blocked);
      expect(texts[0]).toContain(`deny shell.exec:"sudo *"`);
    });

    it('still runs an allowed call (the hook ran, it did not just fail)', () => {
      expect(readFileSync(path.join(scratch.project, 'path-ok.txt'), 'utf8')).toBe('ok\n');
    });
  });
}
