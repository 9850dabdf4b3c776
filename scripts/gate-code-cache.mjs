// Writes the V8 code caches of the gate's bundles (read by bin/gate-loader.js). Run by
// scripts/bundle-gate.mjs in a fresh process, after the bundles are built.
//
// A cache made after the code ran holds every function that ran, not only the top level,
// so this makes real decisions first, in a scratch project: a Read call and then a Bash
// call, which loads the shell chunk, both on the compiled-policy cache hit that nearly
// every gate call takes. The policy is compiled beforehand by a separate `aex gate`
// process, so the cache-miss code (compiler, composition) stays out of the caches: V8
// would deserialize it on every call for nothing. The entry bundle's cache is taken before the
// Bash call, because loading the shell chunk switches V8 to Liftoff-only WebAssembly and V8
// accepts a cache only under the flags it was made with; in a real Bash call the entry is
// compiled before that switch too. Decisions are checked, so a broken bundle fails the build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchProject } from './scratch-project.mjs';

const require = createRequire(import.meta.url);
const { createGateLoader, ENTRY } = require('../bin/gate-loader.js');

const { base: scratch, project } = scratchProject('aex-gate-code-cache-', [
  'policy code-cache v1',
  'goal "Warms the gate bundles for their code caches."',
  'allow file.read:./**, file.write:./**, shell.exec:"git *", shell.exec:"cat *", shell.exec:"grep *", shell.exec:"rg *"',
  'allow shell.exec:"ls *", shell.exec:"npm test *", shell.exec:"echo *", shell.exec:"cd *"',
  'deny network.*',
  'budget calls=100',
]);
try {
  process.env.AEX_STATE_DIR = path.join(scratch, 'state');
  process.env.CLAUDE_PROJECT_DIR = project;

  const payload = (tool_name, tool_input) =>
    JSON.stringify({ session_id: 'code-cache', cwd: project, hook_event_name: 'PreToolUse', tool_name, tool_input });
  const read = { file_path: path.join(project, 'src', 'index.ts') };
  const bin = path.join(path.dirname(require.resolve('../bin/gate-loader.js')), 'aex.js');
  const compile = spawnSync(process.execPath, [bin, 'gate'], { input: payload('Read', read), env: process.env, encoding: 'utf8' });
  if (compile.status !== 0) throw new Error(`aex gate failed to compile the scratch policy: ${compile.stderr}`);

  const loader = createGateLoader();
  const { runGate } = loader.load(ENTRY);
  const call = async (tool_name, tool_input) => {
    const out = await runGate({ allowNoPolicy: false, deferAllow: false, help: false }, payload(tool_name, tool_input), project);
    if (out.exitCode !== 0 || !out.stdout.includes('"permissionDecision":"allow"')) {
      throw new Error(`gate bundle decided ${tool_name} wrongly: ${out.stdout}${out.stderr}`);
    }
  };
  const written = new Set();
  const write = (name) => {
    const entry = loader.compiled.find((c) => c.name === name);
    if (entry === undefined) throw new Error(`${name} was not loaded`);
    if (entry.cacheFile === undefined) throw new Error(`${name} has no build id line`);
    writeFileSync(entry.cacheFile, entry.script.createCachedData());
    written.add(name);
  };
  // Every other bundle compiled so far (rolldown's runtime chunk, when it has one) is cached
  // at the same moment, under the same flags.
  const writeLoaded = () => {
    for (const c of loader.compiled) if (!written.has(c.name)) write(c.name);
  };

  await call('Read', read);
  write(ENTRY);
  writeLoaded();
  // Typical agent lines, so the describer paths they take (git subcommands, redirections,
  // cd, recursive search) are compiled into the cache too, not compiled again on each call.
  for (const command of [
    'git status && cat src/index.ts | grep -n TODO',
    'git diff --stat && git log --oneline -5',
    'git diff -- src/index.ts',
    'ls -la src && rg -n TODO src',
    'cd src && npm test -- --watch=false',
    'echo done > src/out.txt 2>&1',
  ]) {
    await call('Bash', { command });
  }
  write('gate-shell.cjs');
  writeLoaded();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
