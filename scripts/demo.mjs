#!/usr/bin/env node
// `npm run demo`: copies examples/fix-test to a temporary directory (the checked-in
// example is never modified), runs `aex run` there with the scripted model handler,
// --auto-confirm and --audit, then prints the result and the audit log path.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples', 'fix-test');
const work = path.join(mkdtempSync(path.join(os.tmpdir(), 'aex-demo-')), 'fix-test');
cpSync(example, work, { recursive: true });

const args = [
  path.join(root, 'bin', 'aex.js'),
  'run',
  'task.aex',
  '--inputs',
  'inputs.json',
  '--model-handler',
  'model.mjs',
  '--auto-confirm',
  '--audit',
  'audit.jsonl',
];
process.stderr.write(`demo: running in ${work}\n`);
const r = spawnSync(process.execPath, args, { cwd: work, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
process.stdout.write(r.stdout ?? '');
process.stderr.write(`demo: result above; audit log: ${path.join(work, 'audit.jsonl')}\n`);
process.exitCode = r.status ?? 1;
