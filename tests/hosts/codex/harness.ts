// Runs the real Codex CLI (`codex exec`) in a scratch project against the scripted Responses
// server on loopback. CODEX_HOME is a fresh folder whose config.toml names that server as
// the only model provider, marks the project trusted (Codex loads a project's .codex/ layer,
// and its hooks, only in a trusted project) and switches off everything that would talk to
// the internet (update checks, analytics, web search).
//
// `--dangerously-bypass-hook-trust` stands in for the one-time review of the hook in Codex's
// /hooks screen (a person's step); `--dangerously-bypass-approvals-and-sandbox` makes the
// hook the only gate, so every verdict the test sees is AEX's.

import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientBin } from '../shared/clients.js';
import { LOOPBACK_ONLY_PROXIES, runNodeClient, type ClientRun } from '../shared/run-client.js';

/**
 * The client's launcher script (bin/codex.js of @openai/codex, installed by
 * scripts/test-hosts.mjs), or `undefined` when the suite skips Codex (the reason is printed).
 * It is run with this node by absolute path, so a test can give the client a PATH whose
 * `node` is a stand-in.
 */
export function codexLauncher(): string | undefined {
  const bin = clientBin('codex');
  return bin === undefined ? undefined : realpathSync(bin);
}

export type CodexRun = ClientRun;

export interface CodexRunOptions {
  project: string;
  /** The scratch CODEX_HOME (made by the caller, removed with the project). */
  home: string;
  baseUrl: string;
  prompt?: string;
  /** Replaces PATH for the client and everything it starts. */
  path?: string;
  /** Extra environment (the scratch project's HOME and AEX state folder). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Extra `[features]` switches for the scratch CODEX_HOME (`multi_agent = true` …). */
  features?: Record<string, boolean>;
}

const toml = (s: string) => JSON.stringify(s);

/** The model slug of the scripted provider, described by MODEL_CATALOG. */
export const SCRIPTED_MODEL = 'aex-scripted';

/**
 * Codex's metadata for the scripted model (its `model_catalog_json`). Without an entry Codex
 * falls back to metadata that offers no apply_patch tool; the built-in gpt-5.5 entry hides
 * MCP tools behind a tool search whose loaded tools the client does not route back (calls to
 * them come back "unsupported call"). This entry offers the freeform apply_patch and every
 * MCP tool up front, as a model without search support gets them.
 */
function modelCatalog(): Record<string, unknown> {
  const levels = ['low', 'medium', 'high'].map((effort) => ({ effort, description: effort }));
  return {
    models: [
      {
        slug: SCRIPTED_MODEL,
        display_name: SCRIPTED_MODEL,
        description: 'A scripted model on loopback.',
        visibility: 'list',
        supported_in_api: true,
        priority: 1,
        minimal_client_version: '0.124.0',
        prefer_websockets: false,
        shell_type: 'shell_command',
        apply_patch_tool_type: 'freeform',
        web_search_tool_type: 'text_and_image',
        supports_search_tool: false,
        supports_parallel_tool_calls: true,
        support_verbosity: true,
        default_verbosity: 'low',
        input_modalities: ['text'],
        supports_image_detail_original: false,
        truncation_policy: { mode: 'tokens', limit: 10000 },
        tool_mode: null,
        multi_agent_version: null,
        multi_agent_reasoning_effort: null,
        use_responses_lite: false,
        supports_reasoning_effort_updates: false,
        include_skills_usage_instructions: false,
        include_apps_usage_instructions: false,
        include_plugin_usage_instructions: false,
        guardian: null,
        node_repl_auto_review_required: false,
        node_repl_disabled: true,
        requires_sandboxed_review: false,
        auto_review_model_override: null,
        model_specialty: null,
        context_window: 272000,
        max_context_window: 272000,
        auto_compact_token_limit: null,
        default_reasoning_summary: 'none',
        default_reasoning_level: 'medium',
        supported_reasoning_levels: levels,
        availability_nux: null,
        upgrade: null,
        model_messages: { instructions_template: 'You are a scripted test model.' },
        experimental_supported_tools: [],
        available_in_plans: [],
        supports_experimental_context: false,
        default_service_tier: null,
        service_tiers: [],
        additional_speed_tiers: [],
        supports_reasoning_summary_parameter: false,
        supports_reasoning_summaries: false,
      },
    ],
  };
}

export function writeCodexHome(home: string, project: string, baseUrl: string, features: Record<string, boolean> = {}): void {
  mkdirSync(home, { recursive: true });
  const catalog = path.join(home, 'model-catalog.json');
  writeFileSync(catalog, JSON.stringify(modelCatalog(), null, 2) + '\n');
  writeFileSync(
    path.join(home, 'config.toml'),
    [
      `model = ${toml(SCRIPTED_MODEL)}`,
      `model_catalog_json = ${toml(catalog)}`,
      'model_provider = "scripted"',
      'check_for_update_on_startup = false',
      'mcp_optional_startup_grace_ms = 20000',
      'web_search = "disabled"',
      '[features]',
      'plugins = false',
      'remote_plugin = false',
      'apps = false',
      ...Object.entries(features).map(([name, on]) => `${name} = ${on}`),
      '[analytics]',
      'enabled = false',
      '[model_providers.scripted]',
      'name = "scripted"',
      `base_url = ${toml(baseUrl)}`,
      'wire_api = "responses"',
      'env_key = "AEX_SCRIPTED_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      `[projects.${toml(project)}]`,
      'trust_level = "trusted"',
      '',
    ].join('\n'),
  );
}

export function runCodex(launcher: string, opts: CodexRunOptions): Promise<CodexRun> {
  writeCodexHome(opts.home, opts.project, opts.baseUrl, opts.features);
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '--ephemeral',
    '--dangerously-bypass-approvals-and-sandbox',
    '--dangerously-bypass-hook-trust',
    '-C',
    opts.project,
    opts.prompt ?? 'Do the scripted steps.',
  ];
  const env: NodeJS.ProcessEnv = {
    AEX_STATE_DIR: opts.env?.AEX_STATE_DIR,
    XDG_STATE_HOME: opts.env?.XDG_STATE_HOME,
    HOME: opts.home,
    CODEX_HOME: opts.home,
    AEX_SCRIPTED_KEY: 'scripted-key',
    PATH: opts.path ?? process.env.PATH ?? '/usr/bin:/bin',
    NO_COLOR: '1',
    RUST_LOG: 'warn',
    ...LOOPBACK_ONLY_PROXIES,
  };
  return runNodeClient([launcher, ...args], opts.project, env, opts.timeoutMs);
}
