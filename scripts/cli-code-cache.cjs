'use strict';
// Writes the V8 code caches of the CLI bundles in dist/cli/bundle/ (scripts/bundle-cli.mjs) after
// running each on a small document, so a cache holds the code a real command runs:
// check.bundle.cjs checks a policy; compile.bundle.cjs compiles, parses and formats a task.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createGateLoader } = require('../bin/gate-loader.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aex-cli-code-cache-'));
const policy = path.join(dir, 'policy.aex');
fs.writeFileSync(policy, 'policy warm v1\ngoal "Warms aex check for its code cache."\nallow file.read:./src/**, shell.exec:"git status"\ndeny network.*\nconfirm before file.read:./src/secret/**\nbudget calls=10\n');
const task = path.join(dir, 'task.aex');
fs.writeFileSync(
  task,
  [
    'task warm v1',
    'goal "Warms aex compile for its code cache."',
    'use file.read, tests.run, notes.write',
    'deny network.*',
    'need files: list[file]',
    'need cmd: str',
    'budget calls=100',
    'do file.read(paths=files, note="step") -> r0  # read',
    'check r0 has "needle"',
    'for f in files',
    '  if f has ".ts"',
    '    do notes.write(text=f, meta={index: 1, tags: ["a", "b"]})',
    'do tests.run(cmd=cmd) -> t0',
    'return {ok: true, last: r0}',
    '',
  ].join('\n'),
);
const out = path.join(dir, 'task.ir.json');
const loader = createGateLoader(path.join(__dirname, '..', 'dist', 'cli', 'bundle'));

const runs = [
  { bundle: 'check.bundle.cjs', main: 'checkMain', argvs: [['check', policy]] },
  {
    bundle: 'compile.bundle.cjs',
    main: 'compileMain',
    argvs: [['compile', task], ['compile', task, '-o', out], ['parse', task], ['fmt', '--check', task]],
  },
];

async function warm() {
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  try {
    for (const run of runs) {
      const main = loader.load(run.bundle)[run.main];
      for (const argv of run.argvs) await main([process.execPath, 'aex', ...argv]);
    }
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  for (const c of loader.compiled) {
    if (c.cacheFile === undefined) throw new Error(`${c.name} has no build id line`);
    fs.writeFileSync(c.cacheFile, c.script.createCachedData());
  }
  // The warm runs set an exit code of their own (fmt --check of an unformatted file is 1).
  process.exitCode = 0;
}

warm().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
