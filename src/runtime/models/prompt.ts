// The one prompt a `make` step sends to a chat model (docs/design.md#runtime-semantics).

import type { MakeRequest } from '../steps/types.js';

export function makeSystemPrompt(kind: string): string {
  return (
    `You produce a ${kind} artifact for an AEX contract. ` +
    `Output only the ${kind} content itself, with no code fences, no preamble and no commentary.`
  );
}

export function makeUserPrompt(request: MakeRequest): string {
  const parts: string[] = ['Available context', ''];
  for (const input of request.inputs) {
    parts.push(`### ${input.name}`, JSON.stringify(input.value ?? null, null, 2), '');
  }
  parts.push('Instructions');
  for (const line of request.instructions) parts.push(`- ${line}`);
  return parts.join('\n') + '\n';
}
