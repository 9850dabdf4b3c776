// Runs one real client to its end with this node, collecting what it printed: the part every
// host harness shares once it has chosen the client's arguments and environment.

import { spawn } from 'node:child_process';

export interface ClientRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Proxy variables that send anything still trying the internet to a closed port on
 * loopback (the scripted model server itself is reached directly).
 */
export const LOOPBACK_ONLY_PROXIES: NodeJS.ProcessEnv = {
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
};

/** `node <args>` in `cwd` with exactly `env`; killed after `timeoutMs` (default two minutes). */
export function runNodeClient(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}
