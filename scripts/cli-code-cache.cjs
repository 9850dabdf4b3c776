'use strict';
// Writes the V8 code cache of dist/cli/bundle/check.bundle.cjs (scripts/bundle-cli.mjs) after checking a
// small policy with it, so the cache holds the code a real `aex check` runs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createGateLoader } = require('../bin/gate-loader.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aex-cli-code-cache-'));
const policy = path.join(dir, 'policy.aex');
fs.writeFileSync(policy, 'policy warm v1\ngoal "Warms aex check for its code cache."\nallow file.read:./src/**, shell.exec:"git status"\ndeny network.*\nconfirm before file.read:./src/secret/**\nbudget calls=10\n');
const loader = createGateLoader(path.join(__dirname, '..', 'dist', 'cli', 'bundle'));
const { checkMain } = loader.load('check.bundle.cjs');
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
checkMain([process.execPath, 'aex', 'check', policy])
  .then(() => {
    process.stdout.write = write;
    for (const c of loader.compiled) {
      if (c.cacheFile === undefined) throw new Error(`${c.name} has no build id line`);
      fs.writeFileSync(c.cacheFile, c.script.createCachedData());
    }
    process.exitCode = 0;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
