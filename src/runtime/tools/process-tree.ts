// Ending everything a tests.run command started, once the call is over. The command runs
// in its own process group, so one signal to the group reaches every descendant that
// stayed in it — including a background job (`cmd &`) that outlives its parent. A
// descendant that left the group (`setsid`, a daemon's double fork) is found by a token
// in its environment, which children inherit: on Linux every process whose
// /proc/PID/environ carries the token is killed too. A program that also empties its
// environment escapes both; this is why tests.run is documented as executing code.

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks the processes of one tests.run call. */
export const RUN_TOKEN_VAR = 'AEX_TESTS_RUN_TOKEN';

export function newRunToken(): string {
  return randomBytes(16).toString('hex');
}

function kill(pid: number, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    // already gone, or not ours
  }
}

/** Process ids (other than this process) whose environment holds RUN_TOKEN_VAR=token. */
export function processesWithToken(token: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return []; // no procfs: only the process group is reachable
  }
  const needle = Buffer.from(`\0${RUN_TOKEN_VAR}=${token}\0`);
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    if (Buffer.concat([Buffer.from([0]), env]).includes(needle)) out.push(pid);
  }
  return out;
}

/**
 * Kills the process group led by `pid` and every process carrying `token`. Left-group
 * processes are killed by group too (a setsid'd process leads a group of its own), and
 * the sweep is repeated until nothing is found, so a process forked during the sweep
 * does not survive it.
 */
export function endProcessTree(pid: number | undefined, token: string): void {
  if (pid !== undefined) kill(pid, true);
  for (let round = 0; round < 5; round++) {
    const found = processesWithToken(token);
    if (found.length === 0) return;
    for (const p of found) {
      kill(p, true);
      kill(p, false);
    }
  }
}
