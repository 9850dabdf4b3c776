// The watchdog between AEX and a tests.run command. AEX can end the command's process
// tree when the call ends (./process-tree.ts) — but not if AEX itself is killed with
// SIGKILL, which no handler sees. So the command is started by a small node process that
// leads the command's process group and holds a pipe from AEX on its stdin: when the pipe
// closes without the command having finished (AEX is gone), the watchdog kills the group
// and every process carrying the run's token, then itself. Otherwise it is transparent:
// the command inherits its stdout and stderr, and the watchdog exits as the command did
// (a missing program is reported the way tests.run reports it: exit 1, "X: command not found").

/** Runs as `node -e WATCHDOG_SOURCE -- PROGRAM ARGS…`; plain JavaScript, node built-ins only. */
export const WATCHDOG_SOURCE = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const [program, ...args] = process.argv.slice(1);
const token = process.env.AEX_TESTS_RUN_TOKEN || '';
// Processes that left the group first: killing the group kills this watchdog too.
function sweep() {
  sweepToken();
  try { process.kill(-process.pid, 'SIGKILL'); } catch {}
}
function sweepToken() {
  if (!token) return;
  const needle = Buffer.from('\0AEX_TESTS_RUN_TOKEN=' + token + '\0');
  let names = [];
  try { names = readdirSync('/proc'); } catch { return; }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = Buffer.concat([Buffer.from([0]), readFileSync('/proc/' + name + '/environ')]);
      if (env.includes(needle)) { try { process.kill(-Number(name), 'SIGKILL'); } catch {} try { process.kill(Number(name), 'SIGKILL'); } catch {} }
    } catch {}
  }
}
let done = false;
process.stdin.on('end', () => { if (!done) { sweep(); process.kill(process.pid, 'SIGKILL'); } });
process.stdin.on('error', () => {});
process.stdin.resume();
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => { sweep(); process.kill(process.pid, 'SIGKILL'); });
const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (e) => {
  done = true;
  process.stderr.write(program + ': ' + (e.code === 'ENOENT' ? 'command not found' : e.message));
  process.exit(1);
});
child.on('exit', (code, signal) => {
  done = true;
  if (signal) { process.removeAllListeners(signal); process.kill(process.pid, signal); setTimeout(() => process.exit(1), 100); return; }
  process.exit(code === null ? 1 : code);
});
`;
