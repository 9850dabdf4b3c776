// npm run test:hosts — the real-client suite. Installs each agent client into a cache folder
// outside the repository on first use ($AEX_HOSTS_CACHE, default ~/.cache/aex-hosts/NAME),
// then runs vitest with vitest.hosts.config.ts over tests/hosts/**/*.e2e.ts. The tests start
// the real clients against scripted model servers on 127.0.0.1 (tests/hosts/shared/).
//
// A client that cannot be installed or started is skipped, and the suite says which and why;
// with CI=true a skip is a failure. The clients' versions are pinned here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = process.env.AEX_HOSTS_CACHE ? path.resolve(process.env.AEX_HOSTS_CACHE) : path.join(homedir(), '.cache', 'aex-hosts');

/** The clients of the suite: npm package, pinned version, the binary it installs. (Other hosts add theirs here.) */
const CLIENTS = [
  { name: 'claude-code', pkg: '@anthropic-ai/claude-code', version: '2.1.197', bin: 'claude', versionArgs: ['--version'] },
  { name: 'codex', pkg: '@openai/codex', version: '0.171.0', bin: 'codex', versionArgs: ['--version'] },
  { name: 'gemini', pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini', versionArgs: ['--version'] },
];

function install(client) {
  const prefix = path.join(cacheRoot, client.name);
  const bin = path.join(prefix, 'node_modules', '.bin', client.bin);
  const pkgJson = path.join(prefix, 'node_modules', ...client.pkg.split('/'), 'package.json');
  const installed = existsSync(pkgJson) ? JSON.parse(readFileSync(pkgJson, 'utf8')).version : undefined;
  if (installed !== client.version || !existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    console.log(`test:hosts: installing ${client.pkg}@${client.version} into ${prefix}`);
    const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `${client.pkg}@${client.version}`], { stdio: 'inherit' });
    if (r.status !== 0) return { skip: `npm install ${client.pkg}@${client.version} failed (exit ${r.status ?? r.signal})` };
  }
  if (!existsSync(bin)) return { skip: `${client.pkg} installed no ${client.bin} binary in ${prefix}` };
  const v = spawnSync(bin, client.versionArgs, { encoding: 'utf8', timeout: 60_000 });
  if (v.status !== 0) return { skip: `${bin} ${client.versionArgs.join(' ')} failed: ${(v.stderr || v.error?.message || '').trim().slice(0, 300)}` };
  return { bin, version: client.version, reported: v.stdout.trim() };
}

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('test:hosts: dist/ is missing; run npm run build first');
  process.exit(1);
}

const clients = Object.fromEntries(CLIENTS.map((c) => [c.name, install(c)]));
const work = mkdtempSync(path.join(tmpdir(), 'aex-test-hosts-'));
const clientsFile = path.join(work, 'clients.json');
writeFileSync(clientsFile, JSON.stringify(clients, null, 2));

const vitest = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.hosts.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, AEX_HOSTS_CLIENTS: clientsFile },
});
rmSync(work, { recursive: true, force: true });

const skipped = Object.entries(clients).filter(([, c]) => c.skip !== undefined);
for (const [name, c] of Object.entries(clients)) {
  console.log(c.skip !== undefined ? `test:hosts: SKIPPED ${name}: ${c.skip}` : `test:hosts: ran ${name} ${c.reported}`);
}
if (vitest.status !== 0) process.exit(vitest.status ?? 1);
if (skipped.length > 0 && process.env.CI === 'true') {
  console.error(`test:hosts: ${skipped.length} client(s) skipped; with CI=true a skip is a failure`);
  process.exit(1);
}
