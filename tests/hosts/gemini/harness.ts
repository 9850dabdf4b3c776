// Runs the real Gemini CLI headless (`gemini -p`) in a scratch project against the scripted
// Gemini API on loopback. GOOGLE_GEMINI_BASE_URL sends every model request there (the CLI's
// "gateway" authentication, with a dummy key); the user settings in a scratch HOME switch
// off telemetry, usage statistics and update checks.
//
// GEMINI_CLI_TRUST_WORKSPACE=true trusts the scratch folder (Gemini CLI loads a project's
// settings, and so its hooks, only in a trusted folder, and runs a new project hook after a
// warning). The `--skip-trust` flag does not do the same: the project settings are read
// before the flag takes effect, so no project hook runs (a test below shows it). `--yolo`
// approves every tool, so the hook is the only gate and every verdict the test sees is AEX's.

import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientBin } from '../shared/clients.js';
import { LOOPBACK_ONLY_PROXIES, runNodeClient, type ClientRun } from '../shared/run-client.js';

/**
 * The Gemini CLI entry script (bundle/gemini.js of @google/gemini-cli, installed by
 * scripts/test-hosts.mjs), or `undefined` when the suite skips Gemini CLI (the reason is
 * printed). It is run with this node by absolute path, so PATH's `node` never matters.
 */
export function geminiBundle(): string | undefined {
  const bin = clientBin('gemini');
  return bin === undefined ? undefined : realpathSync(bin);
}

export const SCRIPTED_MODEL = 'gemini-2.5-flash';

export type GeminiRun = ClientRun;

export interface GeminiRunOptions {
  project: string;
  /** The scratch HOME (made by the caller, removed with the project). */
  home: string;
  baseUrl: string;
  prompt?: string;
  /** Replaces PATH for the client and everything it starts. */
  path?: string;
  /** Extra environment (the scratch project's AEX state folder). */
  env?: NodeJS.ProcessEnv;
  /**
   * How the scratch folder is trusted: GEMINI_CLI_TRUST_WORKSPACE=true (the default), or the
   * `--skip-trust` flag, which loads no project settings and so no project hook at all.
   */
  trust?: 'environment' | 'skip-trust-flag';
  timeoutMs?: number;
}

export function writeGeminiHome(home: string): void {
  const dir = path.join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const settings = {
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    security: { auth: { selectedType: 'gemini-api-key' } },
    model: { name: SCRIPTED_MODEL },
  };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

export function runGemini(bundle: string, opts: GeminiRunOptions): Promise<GeminiRun> {
  writeGeminiHome(opts.home);
  const byFlag = opts.trust === 'skip-trust-flag';
  const args = [bundle, '-p', opts.prompt ?? 'Do the scripted steps.', '--yolo', ...(byFlag ? ['--skip-trust'] : []), '-m', SCRIPTED_MODEL, '-o', 'json'];
  const env: NodeJS.ProcessEnv = {
    AEX_STATE_DIR: opts.env?.AEX_STATE_DIR,
    XDG_STATE_HOME: opts.env?.XDG_STATE_HOME,
    HOME: opts.home,
    PATH: opts.path ?? process.env.PATH ?? '/usr/bin:/bin',
    GOOGLE_GEMINI_BASE_URL: opts.baseUrl,
    GEMINI_API_KEY: 'scripted-key',
    ...(byFlag ? {} : { GEMINI_CLI_TRUST_WORKSPACE: 'true' }),
    NO_COLOR: '1',
    TERM: 'dumb',
    ...LOOPBACK_ONLY_PROXIES,
  };
  return runNodeClient(args, opts.project, env, opts.timeoutMs);
}
