import type { CAC } from 'cac';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { assembleTools, openAuditSinks, resolveRunModel, runProtectedEntries } from '../run-setup.js';
import { EXIT } from '../../exit-codes.js';
import { hasFlag, rawOption } from '../raw-argv.js';

// `aex resume --checkpoint FILE --thread ID --approve|--deny` (docs/langgraph.md): continues a
// LangGraph run that paused at a confirmation, in this (later) process. The thread's
// record in the checkpoint file says what it runs and how it was launched; the contract
// and policy are read again and must hash to what the thread started with, the saved
// state must match its seal (an HMAC when a key is configured), and the pending call is
// decided again by the kernel before it runs. Events are appended to the same audit
// file, numbered where the paused run stopped.

interface ResumeFlags {
  checkpoint?: string;
  thread?: string;
  approve?: boolean;
  deny?: boolean;
  json?: boolean;
  logJson?: boolean;
  auditKeyFile?: string;
}

type JsonRecord = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The last value of `--name` in the launch record's stored argv. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  return rawOption(name, argv);
}

export function register(cli: CAC): void {
  cli
    .command('resume', 'Continue a LangGraph run paused at a confirmation (see aex run --checkpoint)')
    .option('--checkpoint <file>', 'The SQLite checkpoint file the run was saved to')
    .option('--thread <id>', 'The thread id the paused run printed')
    .option('--approve', 'Approve the pending confirmation')
    .option('--deny', 'Refuse the pending confirmation')
    .option('--json', 'Print the whole RunResult as JSON on stdout')
    .option('--log-json', 'Events on stderr as JSON Lines')
    .option('--audit-key-file <file>', 'The key the run was given (default: $AEX_AUDIT_KEY_FILE): checks the seal of the paused state')
    .example('aex resume --checkpoint .aex/runs/state.sqlite --thread 6f1c… --approve')
    .action(async (flags: ResumeFlags) => {
      process.exitCode = await resumeCommand(flags);
    });
}

export async function resumeCommand(flags: ResumeFlags): Promise<number> {
  const checkpoint = str(flags.checkpoint);
  const threadId = str(flags.thread);
  if (!checkpoint) throw new CliError('aex resume needs --checkpoint FILE.');
  if (!threadId) throw new CliError('aex resume needs --thread ID.');
  if (flags.approve === true && flags.deny === true) throw new CliError('Give either --approve or --deny, not both.');
  if (flags.approve !== true && flags.deny !== true) throw new CliError('Give --approve or --deny to answer the pending confirmation.');
  if (!existsSync(checkpoint)) throw new CliError(`Checkpoint file not found: ${checkpoint}`);

  const lg = await import('../../backends/langgraph/run.js');
  let rec;
  try {
    rec = await lg.readThread(checkpoint, threadId);
  } catch (err) {
    throw new CliError(`Cannot read checkpoint file ${checkpoint}: ${(err as Error).message}`);
  }
  if (!rec) throw new CliError(`No thread "${threadId}" in ${checkpoint}.`);
  if (rec.status === 'finished') {
    throw new CliError(`Thread "${threadId}" has already finished (${rec.outcome ?? 'done'}); there is nothing to resume.`);
  }
  const launch = rec.launch as JsonRecord;
  const cwd = str(launch.cwd) ?? process.cwd();
  const contract = str(launch.contract);
  if (!contract) throw new CliError(`Thread "${threadId}" does not record its contract file; it cannot be resumed from the CLI.`);
  if (!existsSync(contract)) throw new CliError(`The contract of thread "${threadId}" is gone: ${contract}`);
  const argv = Array.isArray(launch.argv) ? launch.argv.filter((a): a is string => typeof a === 'string') : [];

  const { compileFile } = await import('../../compiler/index.js');
  const compiled = compileFile(contract);
  if (!compiled.ok || !compiled.ir) {
    throw new CliError(`The contract ${contract} no longer compiles; thread "${threadId}" cannot be resumed.`);
  }
  const ir = compiled.ir;

  // Policy, tools and model exactly as the paused run had them.
  const options: import('../../backends/langgraph/run.js').ResumeOptions = {
    checkpoint,
    threadId,
    answer: flags.approve === true,
    cwd,
    builtins: false,
  };
  const { loadAuditKey, AuditKeyError } = await import('../../audit/key.js');
  let keyFile: string | undefined;
  try {
    const key = loadAuditKey(str(flags.auditKeyFile));
    if (key) {
      keyFile = key.file;
      options.stateKey = key.key;
    }
  } catch (err) {
    if (err instanceof AuditKeyError) throw new CliError(err.message);
    throw err;
  }
  // Nothing of the launch record (its argv names modules to import) is used before the
  // record and the saved state are known to be the ones the run sealed.
  try {
    await lg.checkThreadSeal(ir, { checkpoint, threadId, cwd, ...(options.stateKey ? { stateKey: options.stateKey } : {}) });
  } catch (err) {
    if (err instanceof lg.ResumeError) throw new CliError(`${err.message}.`);
    throw err;
  }
  const { stateDirectory } = await import('../../runtime/state-dir.js');
  const auditFile = str(launch.audit);
  options.protect = runProtectedEntries({
    cwd,
    ...(auditFile ? { audit: auditFile } : {}),
    checkpoint: path.resolve(checkpoint),
    ...(keyFile !== undefined ? { keyFile } : {}),
    reloaded: [flagValue(argv, 'tools'), flagValue(argv, 'mcp-config'), flagValue(argv, 'model-handler')].map((f) => (f === undefined ? f : path.resolve(cwd, f))),
    stateDir: stateDirectory(),
  });
  const policyFile = str(launch.policy);
  if (policyFile) {
    const { loadPolicyFile } = await import('../../runtime/policy/load.js');
    try {
      options.policy = (await loadPolicyFile(policyFile, { cwd })).layer;
    } catch (err) {
      throw new CliError(`Policy ${policyFile} of thread "${threadId}" cannot be used: ${(err as Error).message}`);
    }
  }
  // The resumed call is decided again, with the grants that stand now (docs/grants.md).
  const { loadGrants } = await import('../../grants/load.js');
  options.grants = loadGrants(options.policy?.root ?? cwd, process.env.AEX_SESSION_ID);
  const closers: Array<() => Promise<void>> = [];
  let handedOver = false;
  const sinkList: import('../../runtime/audit/types.js').AuditSink[] = [];
  try {
    const model = await resolveRunModel({ model: flagValue(argv, 'model'), handler: flagValue(argv, 'model-handler'), ir, cwd });
    if (model) options.model = model;
    const assembled = await assembleTools({
      cwd,
      toolsModule: flagValue(argv, 'tools'),
      mcpConfig: flagValue(argv, 'mcp-config'),
      registryUrl: flagValue(argv, 'registry'),
      closers,
    });
    options.tools = assembled.tools;
    if (assembled.mcpServers) options.mcpServers = assembled.mcpServers;

    const logJson = flags.logJson === true || hasFlag('log-json', argv);
    const auditPath = str(launch.audit);
    const otlp = flagValue(argv, 'otlp') ?? flagValue(argv, 'otlp-endpoint');
    const opened = await openAuditSinks({ logJson, ...(auditPath ? { auditPath } : {}), ...(otlp !== undefined ? { otlp } : {}) });
    sinkList.push(...opened.sinks);
    const otel = opened.otel;
    options.sinks = sinkList;

    let result;
    handedOver = true; // resumeWithLangGraph closes the sinks (once: closing exports OTLP)
    try {
      result = await lg.resumeWithLangGraph(ir, options);
    } catch (err) {
      if (err instanceof lg.ResumeError) throw new CliError(`${err.message}.`);
      throw err;
    }
    if (opened.auditFile?.failure) throw opened.auditFile.failure;
    if (auditPath) process.stderr.write(`audit Log appended to ${path.relative(process.cwd(), auditPath) || auditPath}\n`);
    if (otel) {
      if (otel.exportError) process.stderr.write(`warn OTLP export to ${otlp} failed: ${otel.exportError}\n`);
      else process.stderr.write(`✔ Audit exported to ${otlp}\n`);
    }
    return finish(result, flags.json === true, checkpoint);
  } finally {
    if (!handedOver) for (const s of sinkList) await Promise.resolve(s.close?.()).catch(() => undefined);
    for (const close of closers) await close().catch(() => undefined);
  }
}

function finish(
  result: { status: string; issues: string[]; output?: unknown; threadId?: string },
  json: boolean,
  checkpoint: string,
): number {
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else if (result.status === 'success') {
    if (result.output !== undefined) process.stdout.write(JSON.stringify(result.output, null, 2) + '\n');
  } else if (result.status === 'interrupted') {
    process.stderr.write(
      `paused: waiting for a confirmation (thread ${result.threadId}); continue with aex resume --checkpoint ${checkpoint} --thread ${result.threadId} --approve|--deny\n`,
    );
  } else {
    process.stderr.write(`error runtime blocked: ${result.issues.join(', ')}\n`);
  }
  if (result.status === 'success') return EXIT.ok;
  if (result.status === 'interrupted') return EXIT.paused;
  return EXIT.failed;
}
