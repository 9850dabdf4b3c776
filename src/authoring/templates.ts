// Starter files written by `aex init` (docs/cli.md): today's syntax (`task`
// headers, `allow` in policies), laid out as `aex fmt` would print them, and free of
// any diagnostic under `aex check`. The repository policy and its starter test live in
// policy-template.ts.

export const DEFAULT_TASK_NAME = 'sample-task';

/** Characters outside `[A-Za-z0-9_-]` become `_`; an empty name falls back to the default. */
export function sanitizeTaskName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned === '' ? DEFAULT_TASK_NAME : cleaned;
}

export { policyTemplate, policyTestTemplate, POLICY_TEST_FILE } from './policy-template.js';

export function taskTemplate(name: string): string {
  return [
    `task ${name} v0`,
    '',
    'goal "Write a short Markdown brief about a topic."',
    '',
    'deny secrets.read, network.*',
    '',
    'need topic: str',
    '',
    'budget calls=5',
    '',
    'make draft: markdown from topic with:',
    '  - write a short, factual brief about the topic',
    '  - say plainly what is not known',
    '',
    'return draft',
    '',
  ].join('\n');
}

export function taskInputsTemplate(): string {
  return JSON.stringify({ topic: 'Replace this with your task topic' }, null, 2) + '\n';
}

export function taskPolicyJsonTemplate(): string {
  return (
    JSON.stringify(
      { allow: ['model.make'], deny: ['secrets.read', 'network.*'], require_confirmation: [], budget: { calls: 20 } },
      null,
      2,
    ) + '\n'
  );
}
