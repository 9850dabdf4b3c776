// The environment variables through which hosts tell their hook about the session (the
// project folder, whether a person is at a prompt). `aex gate --server` forwards exactly
// these to `aex serve`, which judges each request with them instead of its own environment.

export const HOST_ENV_VARS = ['CLAUDE_PROJECT_DIR', 'CLAUDE_CODE_ENTRYPOINT', 'GEMINI_PROJECT_DIR', 'GEMINI_CWD', 'CODEX_PROJECT_DIR', 'CURSOR_PROJECT_DIR'] as const;

/** The host variables set in `env`. */
export function hostEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of HOST_ENV_VARS) {
    const v = env[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** `base` with the host variables replaced by `given` (only known names, only strings). */
export function withHostEnv(base: NodeJS.ProcessEnv, given: unknown): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of HOST_ENV_VARS) delete env[k];
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
    for (const k of HOST_ENV_VARS) {
      const v = (given as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '' && !v.includes('\0')) env[k] = v;
    }
  }
  return env;
}
