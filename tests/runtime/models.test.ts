import { describe, expect, it, vi } from 'vitest';

// These tests spawn processes; under a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ModelSetupError,
  chatModelHandler,
  loadModelHandlerModule,
  parseModelSpec,
  replyText,
  resolveModel,
  resolveProviderModel,
} from '../../src/runtime/models/index.js';
import { makeUserPrompt } from '../../src/runtime/models/prompt.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const request = { bind: 'patch', kind: 'diff', instructions: ['fix it', 'be brief'], inputs: [{ name: 'failure.stdout', value: { a: 1 } }], line: 7 };

describe('models (docs/cli.md)', () => {
  it('parses PROVIDER[:MODEL]', () => {
    expect(parseModelSpec('openai')).toEqual({ provider: 'openai' });
    expect(parseModelSpec('Anthropic:claude-x')).toEqual({ provider: 'anthropic', model: 'claude-x' });
    expect(parseModelSpec('ollama:llama3:8b')).toEqual({ provider: 'ollama', model: 'llama3:8b' });
  });

  it('unknown provider, missing key and missing package are clear setup errors', async () => {
    await expect(resolveProviderModel('gemini', {})).rejects.toThrow('Unknown model provider "gemini". Available providers: openai, anthropic, ollama');
    await expect(resolveProviderModel('anthropic', {})).rejects.toThrow('ANTHROPIC_API_KEY is not set. Required for --model anthropic.');
    await expect(resolveProviderModel('openai', { OPENAI_API_KEY: 'k' })).rejects.toThrow(
      '--model openai needs the package @langchain/openai, which is not installed. Run: npm install @langchain/openai',
    );
    await expect(resolveProviderModel('ollama', {})).rejects.toBeInstanceOf(ModelSetupError);
  });

  it('AEX_MODEL is used when no flag is given; nothing → undefined', async () => {
    expect(await resolveModel({ env: {} })).toBeUndefined();
    await expect(resolveModel({ env: { AEX_MODEL: 'openai' } })).rejects.toThrow('OPENAI_API_KEY');
  });

  it('builds the docs/design.md#runtime-semantics prompt: one ### heading per input with pretty JSON, then the instructions', () => {
    expect(makeUserPrompt(request)).toBe(
      'Available context\n\n### failure.stdout\n{\n  "a": 1\n}\n\nInstructions\n- fix it\n- be brief\n',
    );
  });

  it('a chat model (anything with invoke) gets a system and a user message; the reply text is the value', async () => {
    const h = await loadModelHandlerModule(path.join(fixtures, 'fake-chat-model.mjs'));
    const value = (await h(request)) as string;
    const messages = JSON.parse(value) as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0]!.content).toContain('diff artifact');
    expect(messages[1]!.content).toBe(makeUserPrompt(request));
    expect(replyText({ content: 'plain' })).toBe('plain');
    await expect(chatModelHandler({ invoke: async () => ({ content: 42 }) })(request)).rejects.toThrow('no text content');
  });

  it('a function default export is called with the request; a bad module is a setup error', async () => {
    const h = await loadModelHandlerModule(path.join(process.cwd(), 'examples/fix-test/model.mjs'));
    await expect(h({ ...request, inputs: [{ name: 'sources', value: { 'src/math.js': 'x' } }] })).resolves.toContain('diff --git');
    await expect(loadModelHandlerModule(path.join(fixtures, 'mcp-echo-server.mjs.missing'))).rejects.toBeInstanceOf(ModelSetupError);
    await expect(loadModelHandlerModule(path.join(fixtures, 'throwing-tools.mjs'))).rejects.toThrow('must export default a function');
  });
});
