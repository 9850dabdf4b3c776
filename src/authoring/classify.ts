// `aex classify` (docs/cli.md): a keyword heuristic that says whether a prompt needs a
// contract. No model is involved; the first tier with a matching word wins.

export type ClassifyMode = 'contract_required' | 'contract_recommended' | 'exploratory';

export interface Classification {
  mode: ClassifyMode;
  reason: string;
}

const HIGH_RISK = new Set([
  'deploy', 'production', 'payment', 'send', 'email', 'admin', 'secrets', 'migration', 'publish', 'release',
]);
const MODIFYING = new Set([
  'fix', 'update', 'modify', 'edit', 'write', 'delete', 'create', 'add', 'remove', 'refactor', 'change',
  'rename', 'move', 'install', 'upgrade', 'patch', 'migrate',
]);
const EXPLORING = new Set([
  'explain', 'summarize', 'find', 'inspect', 'understand', 'search', 'describe', 'what', 'where', 'how',
  'why', 'show', 'list', 'read', 'look', 'check', 'tell', 'help',
]);

/** Lower-cased words, split at every character that is not a letter or a digit. */
export function promptWords(prompt: string): string[] {
  return prompt
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

export function classifyPrompt(prompt: string): Classification {
  const words = promptWords(prompt);
  if (words.some((w) => HIGH_RISK.has(w))) {
    return { mode: 'contract_required', reason: 'prompt implies high-risk side effects' };
  }
  if (words.some((w) => MODIFYING.has(w))) {
    return { mode: 'contract_recommended', reason: 'prompt implies file modifications or code changes' };
  }
  if (words.some((w) => EXPLORING.has(w))) {
    return { mode: 'exploratory', reason: 'prompt implies read-only exploration, no side effects required' };
  }
  return { mode: 'contract_recommended', reason: 'default classification for ambiguous prompts' };
}
