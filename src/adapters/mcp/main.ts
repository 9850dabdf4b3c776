// Start-up of `aex proxy`: every startup error — no upstream command,
// no policy, an invalid policy or contract, an unwritable audit file — is exit 1
// before anything is spawned. After that the exit code is the upstream's (127 when
// it cannot be started).

import path from 'node:path';
import { AexError } from '../../errors.js';
import { discoverPolicy, loadPolicyFile, loadTaskFile, PolicyError } from '../../runtime/policy/load.js';
import { mergePermissions } from '../../rules/merge.js';
import type { PermissionLayer } from '../../rules/types.js';
import { MCP_SERVER_NAME } from '../../runtime/mcp-names.js';
import { projectStateDirectory } from '../../runtime/state-dir.js';
import { banner, runProxy, type ProxySetup } from './proxy.js';
import { ledgerBudget, proxySessionId } from './budget.js';
import { loadAuditKey } from '../../audit/key.js';

export interface ProxyCliOptions {
  policy?: unknown;
  contract?: unknown;
  autoConfirm?: unknown;
  audit?: unknown;
  name?: unknown;
  /** `--no-meta` (cac spells it `meta: false`): this proxy offers no meta-tools. */
  noMeta?: unknown;
  meta?: unknown;
  /** `--max-message-bytes N`: size limit of one message (default 64 MiB). */
  maxMessageBytes?: unknown;
  /** `--session ID`: the session whose budget this proxy spends (default AEX_SESSION_ID, else the host process). */
  session?: unknown;
  /** `--audit-key-file K` (default $AEX_AUDIT_KEY_FILE): seal the audit with this key. */
  auditKeyFile?: unknown;
}

function sessionOption(v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  return proxySessionId();
}

/** `--max-message-bytes`: a positive whole number of bytes. */
function byteLimit(v: unknown): number | undefined {
  if (v === undefined || v === false) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1024) throw new AexError(`--max-message-bytes needs a whole number of bytes (at least 1024), got ${JSON.stringify(v)}`);
  return n;
}

function fileOption(v: unknown, flag: string): string | undefined {
  if (v === undefined || v === false) return undefined;
  if (typeof v !== 'string' || v === '') throw new AexError(`${flag} needs a file name`);
  return v;
}

/** `--name S`: the server's name in `mcp.S.T` (one segment, as `.mcp.json` keys are spelled by the hosts). */
function serverName(v: unknown): string | undefined {
  if (v === undefined || v === false) return undefined;
  if (typeof v !== 'string' || !MCP_SERVER_NAME.test(v)) {
    throw new AexError(`--name needs a server name of letters, digits, "_" and "-" (the key of the server in .mcp.json), got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Builds the proxy set-up from command-line options, or throws AexError (exit 1). */
export async function prepareProxy(upstream: string[], options: ProxyCliOptions, cwd: string): Promise<ProxySetup> {
  const [command, ...args] = upstream;
  if (command === undefined || command === '') throw new AexError('No upstream command. Use: aex proxy [options] -- <command> [args...]');
  const policyOpt = fileOption(options.policy, '--policy');
  const contractOpt = fileOption(options.contract, '--contract');
  const auditOpt = fileOption(options.audit, '--audit');
  const name = serverName(options.name);
  const maxMessageBytes = byteLimit(options.maxMessageBytes);
  const policyFile = policyOpt !== undefined ? path.resolve(cwd, policyOpt) : discoverPolicy(cwd);
  if (policyFile === undefined) throw new AexError('No policy found. Use --policy or create .aex/policy.aex');
  let policy: PermissionLayer;
  let task: PermissionLayer | undefined;
  let contractFile: string | undefined;
  try {
    policy = (await loadPolicyFile(policyFile, { cwd })).layer;
    if (contractOpt !== undefined) {
      const loaded = await loadTaskFile(path.resolve(cwd, contractOpt), { cwd });
      task = loaded.layer;
      contractFile = loaded.file;
    }
  } catch (err) {
    if (err instanceof PolicyError) throw new AexError(err.message);
    throw new AexError((err as Error).message);
  }
  const setup: ProxySetup = {
    cwd,
    perms: mergePermissions({ policy, task, cwd }),
    policy,
    policyFile,
    autoConfirm: options.autoConfirm === true,
    command,
    args,
  };
  if (contractFile !== undefined) setup.contractFile = contractFile;
  if (auditOpt !== undefined) setup.auditFile = path.resolve(cwd, auditOpt);
  // A key that cannot be read stops the proxy: it never runs unsealed by accident.
  try {
    const key = loadAuditKey(fileOption(options.auditKeyFile, '--audit-key-file'), process.env, cwd);
    if (key) setup.auditKey = key;
  } catch (err) {
    throw new AexError((err as Error).message);
  }
  if (name !== undefined) setup.name = name;
  if (options.noMeta === true || options.meta === false) setup.noMeta = true;
  if (maxMessageBytes !== undefined) setup.maxMessageBytes = maxMessageBytes;
  // One budget per project session, in the state folder's ledger, shared with the other
  // proxies (and the gate) of the session.
  const limit = setup.perms.budget.calls;
  setup.session = sessionOption(options.session);
  if (limit !== undefined) setup.budget = ledgerBudget(projectStateDirectory(setup.perms.cwd), setup.session, limit);
  return setup;
}

export async function proxyCommand(upstream: string[], options: ProxyCliOptions): Promise<void> {
  const cwd = process.cwd();
  const setup = await prepareProxy(upstream, options, cwd);
  process.stderr.write(banner(setup));
  let code: number;
  try {
    code = await runProxy({ ...setup, forwardSignals: true }, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    throw new AexError(`proxy failed: ${(err as Error).message}`);
  }
  // stdout/stderr writes to pipes and files are synchronous on POSIX, so nothing is lost.
  process.exit(code);
}
