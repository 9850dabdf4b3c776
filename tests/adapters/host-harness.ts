// A scratch project with a policy, and the gate core run in-process on one host payload:
// what the host would read on stdout and stderr, and the exit code.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HookAnswer, HostProtocol } from '../../src/adapters/host-protocol.js';
import { judgeHook } from '../../src/gate/core.js';
import { cachedPolicies } from '../../src/gate/policies.js';

export const HOST_POLICY = [
  'policy hosts v0',
  'goal "Host payload tables"',
  'allow file.read:./**, file.write:src/**',
  'allow shell.exec:"ls *", shell.exec:"echo *", shell.exec:"cat *", shell.exec:"git status", shell.exec:"git push *", shell.exec:"rm *"',
  'allow mcp.fs.read_file, mcp.fs.write_file',
  'allow network.fetch:example.com, network.search',
  'allow agent.*',
  'deny shell.exec:"rm *"',
  'deny mcp.fs.write_file',
  'deny file.read:./secrets/**',
  'confirm before shell.exec:"echo confirm *"',
  '',
].join('\n');

export interface Scratch {
  root: string;
  state: string;
  env: NodeJS.ProcessEnv;
  run(protocol: HostProtocol, payload: unknown, env?: NodeJS.ProcessEnv): Promise<HookAnswer>;
  cleanup(): void;
}

export function scratchProject(policy = HOST_POLICY): Scratch {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-host-')));
  const root = path.join(base, 'project');
  const state = path.join(base, 'state');
  mkdirSync(path.join(root, '.aex'), { recursive: true });
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'secrets'), { recursive: true });
  writeFileSync(path.join(root, '.aex', 'policy.aex'), policy);
  const env: NodeJS.ProcessEnv = { HOME: base, AEX_STATE_DIR: state, PATH: process.env.PATH };
  return {
    root,
    state,
    env,
    run: (protocol, payload, extra = {}) =>
      judgeHook(protocol, payload, { allowNoPolicy: false, deferAllow: false }, { env: { ...env, ...extra }, processCwd: root, policies: cachedPolicies }),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
