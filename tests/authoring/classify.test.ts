import { describe, expect, it, vi } from 'vitest';
import { classifyPrompt, promptWords } from '../../src/authoring/classify.js';
import { aex } from './cli-helpers.js';

// These tests spawn the CLI; leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const REQUIRED = 'prompt implies high-risk side effects';
const MODIFY = 'prompt implies file modifications or code changes';
const EXPLORE = 'prompt implies read-only exploration, no side effects required';
const DEFAULT = 'default classification for ambiguous prompts';

describe('classifyPrompt (docs/cli.md)', () => {
  const table: Array<[string, string, string]> = [
    ['deploy the app', 'contract_required', REQUIRED],
    ['Send an EMAIL to the team', 'contract_required', REQUIRED],
    ['fix the bug and release it', 'contract_required', REQUIRED],
    ['rotate secrets', 'contract_required', REQUIRED],
    ['fix the failing test', 'contract_recommended', MODIFY],
    ['fix.', 'contract_recommended', MODIFY],
    ['(refactor) src/foo.ts', 'contract_recommended', MODIFY],
    ['explain and fix it', 'contract_recommended', MODIFY],
    ['explain how the parser works', 'exploratory', EXPLORE],
    ['what?', 'exploratory', EXPLORE],
    ['summarize,the,diff', 'exploratory', EXPLORE],
    ['why-does-this-fail', 'exploratory', EXPLORE],
    ['bananas', 'contract_recommended', DEFAULT],
    ['', 'contract_recommended', DEFAULT],
    ['prefixes do not count: deployment fixing explained', 'contract_recommended', DEFAULT],
    ['production-ready', 'contract_required', REQUIRED],
  ];
  for (const [prompt, mode, reason] of table) {
    it(`${JSON.stringify(prompt)} → ${mode}`, () => {
      expect(classifyPrompt(prompt)).toEqual({ mode, reason });
    });
  }

  it('splits on every non-alphanumeric character', () => {
    expect(promptWords('Fix: the_test, in src/foo.ts!')).toEqual(['fix', 'the', 'test', 'in', 'src', 'foo', 'ts']);
  });
});

describe('aex classify', () => {
  it('prints pretty {mode, reason} and exits 0', () => {
    const r = aex(['classify', 'fix. the test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.stringify({ mode: 'contract_recommended', reason: MODIFY }, null, 2) + '\n');
  });

  it('rejects an empty prompt and unknown options with exit 1', () => {
    expect(aex(['classify', '  ']).code).toBe(1);
    const r = aex(['classify', 'x', '--model', 'openai']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error /);
  });
});
