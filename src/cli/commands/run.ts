import type { CAC } from 'cac';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { readInputsFile } from '../../runtime/inputs.js';
import { assembleTools, openAuditSinks, resolveRunModel, runProtectedEntries } from '../run-setup.js';
import { EXIT } from '../../exit-codes.js';
import { rawValues, stringOption } from '../raw-argv.js';

// `aex run FILE` (docs/cli.md, docs/cli.md). stdout carries only the result; events go
// to stderr and the audit file. Heavy modules (compiler, runtime, MCP SDK, LangChain)
// are imported inside the action so other commands do not pay for them.

interface RunFlags {
  inputs?: string;
  input?: unknown;
  policy?: string;
  autoConfirm?: boolean;
  model?: string;
  modelHandler?: string;
  tools?: string;
  mcpConfig?: string;
  registry?: string;
  audit?: string;
  json?: boolean;
  logJson?: boolean;
  otlpEndpoint?: string;
  otlp?: string;
  auditKeyFile?: string;
  backend?: string;
  checkpoint?: string;
  threadId?: string;
}

/** `NAME=VALUE`: VALUE parsed as JSON when it parses, else taken as a string (docs/cli.md). */
export function parseInputAssignment(a: string): [string, unknown] {
  const i = a.indexOf('=');
  if (i <= 0) throw new CliError(`--input expects NAME=VALUE, got "${a}".`);
  const name = a.slice(0, i);
  const text = a.slice(i + 1);
  try {
    return [name, JSON.parse(text)];
  } catch {
    return [name, text];
  }
}

function readInputs(file: string | undefined, assignments: string[]): Record<string, unknown> {
  let inputs: Record<string, unknown> = {};
  if (file !== undefined) {
    try {
      inputs = readInputsFile(path.resolve(file));
    } catch (err) {
      throw new CliError((err as Error).message.replace(path.resolve(file), file));
    }
  }
  for (const a of assignments) {
    const [k, v] = parseInputAssignment(a);
    inputs[k] = v;
  }
  return inputs;
}

/** Default audit file for contracts under `.aex/runs/`: `<file without .aex>.audit.jsonl`. */
export function defaultAuditPath(file: string): string | undefined {
  const norm = path.resolve(file).split(path.sep).join('/');
  if (!norm.includes('/.aex/runs/')) return undefined;
  return file.replace(/\.aex$/, '') + '.audit.jsonl';
}

export function register(cli: CAC): void {
  cli
    .command('run <file>', 'Run a task contract (stdout: the result; stderr: events)')
    .option('--inputs <file>', 'JSON object of inputs')
    .option('--input <assignment>', 'NAME=VALUE, repeatable (VALUE parsed as JSON when it parses)')
    .option('--policy <file>', 'Policy (.aex by extension, else JSON); default: .aex/policy.aex or aex.policy.aex')
    .option('--auto-confirm', 'Approve every confirmation')
    .option('--model <provider>', 'PROVIDER[:MODEL] via LangChain (openai, anthropic, ollama); or env AEX_MODEL')
    .option('--model-handler <module>', 'ES module whose default export is (request) => value or a chat model')
    .option('--tools <module>', 'ES module whose default export is a tool registry')
    .option('--mcp-config <file>', '{"mcpServers": {...}}: tool T of server S becomes mcp.S.T (S.T still accepted)')
    .option('--registry <url>', 'Remote tool registry')
    .option('--audit <file>', 'Write the audit as JSON Lines to FILE (appended, one line per event)')
    .option('--json', 'Print the whole RunResult on stdout')
    .option('--log-json', 'Events on stderr as JSON Lines instead of human lines')
    .option('--otlp <url>', 'Export the audit as OpenTelemetry logs to this OTLP/HTTP endpoint (alias --otlp-endpoint)')
    .option('--otlp-endpoint <url>', 'Same as --otlp')
    .option('--audit-key-file <file>', 'HMAC key that seals the audit (default: $AEX_AUDIT_KEY_FILE); aex audit verify --key-file checks it')
    .option('--backend <name>', 'native or langgraph', { default: 'native' })
    .option('--checkpoint <file>', 'LangGraph backend: SQLite checkpoint file')
    .option('--thread-id <id>', 'LangGraph backend: thread id')
    .example('aex run tasks/fix-test.aex --inputs tasks/fix-test.inputs.json --auto-confirm --audit run.jsonl')
    .action(async (file: string, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags, process.argv);
    });
}

export async function runCommand(file: string, flags: RunFlags, argv: readonly string[]): Promise<number> {
  const backend = String(flags.backend ?? 'native');
  if (backend !== 'native' && backend !== 'langgraph') throw new CliError(`Unknown backend "${backend}". Use native or langgraph.`);
  if (!existsSync(file)) throw new CliError(`File not found: ${file}`);
  const cwd = process.cwd();
  const inputs = readInputs(stringOption(flags.inputs, 'inputs', argv), rawValues('input', argv));

  const [{ compileFile, formatDiagnostic }, { createAuditLog }, { rejectRun, issueText }] = await Promise.all([
    import('../../compiler/index.js'),
    import('../../runtime/audit/emitter.js'),
    import('../../runtime/steps/lifecycle.js'),
  ]);

  // Sinks first, so even a rejected contract leaves its run.rejected in the audit.
  const auditPath = stringOption(flags.audit, 'audit', argv) ?? defaultAuditPath(file);
  const otlp = stringOption(flags.otlp, 'otlp', argv) ?? stringOption(flags.otlpEndpoint, 'otlp-endpoint', argv);
  // A key that cannot be read stops the run before anything happens: a sealed audit was asked for.
  const { loadAuditKey, AuditKeyError } = await import('../../audit/key.js');
  let auditKey: { file: string; key: Buffer } | undefined;
  try {
    auditKey = loadAuditKey(stringOption(flags.auditKeyFile, 'audit-key-file', argv), process.env, cwd);
  } catch (err) {
    if (err instanceof AuditKeyError) throw new CliError(err.message);
    throw err;
  }
  const { sinks: sinkList, otel, auditFile } = await openAuditSinks({ logJson: flags.logJson === true, ...(auditPath !== undefined ? { auditPath } : {}), ...(otlp !== undefined ? { otlp } : {}) });
  let terminal = false;
  sinkList.push({
    write(e) {
      if (e.event === 'run.finished' || e.event === 'run.rejected') terminal = true;
    },
  });
  const audit = createAuditLog(sinkList, auditKey ? { sealKey: auditKey.key } : {});
  const closers: Array<() => Promise<void>> = [];

  // A run stopped by a signal still ends with run.finished (file sinks write synchronously,
  // so the line is on disk before the process exits).
  const onSignal = (signal: NodeJS.Signals) => {
    if (!terminal) audit.emit({ event: 'run.finished', status: 'blocked', reason: `Interrupted by ${signal}`, code: 'AEX070' });
    void audit.close();
    for (const close of closers) void close().catch(() => undefined);
    process.stderr.write(`error run interrupted by ${signal}\n`);
    process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let compiled: ReturnType<typeof compileFile>;
    try {
      compiled = compileFile(file);
    } catch (err) {
      // Unreadable contract (a FIFO, a device, a directory, a file over 1 MiB): the user's mistake, exit 1.
      throw new CliError((err as Error).message);
    }
    if (!compiled.ok || !compiled.ir) {
      const source = readFileSync(file, 'utf8');
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) process.stderr.write(formatDiagnostic(d, source, file) + '\n');
      const result = rejectRun(
        audit,
        (errors.length ? errors : [{ code: 'AEX100', message: 'could not be compiled', line: 1 }]).map((d) => ({
          code: d.code,
          message: `line ${d.line}: ${d.message}`,
          line: d.line,
        })),
      );
      return finish(result, flags);
    }
    const ir = compiled.ir;
    if (ir.kind !== 'task') throw new CliError(`${file} is a policy; aex run needs a task contract.`);

    // Policy: explicit, else discovered. Any error diagnostic stops the run.
    const policyModule = await import('../../runtime/policy/load.js');
    const policyFile = stringOption(flags.policy, 'policy', argv) ?? policyModule.discoverPolicy(cwd);
    let policy: import('../../rules/types.js').PermissionLayer | undefined;
    if (policyFile !== undefined) {
      try {
        policy = (await policyModule.loadPolicyFile(policyFile, { cwd })).layer;
      } catch (err) {
        const e = err as { message?: string; diagnostics?: import('../../compiler/index.js').Diagnostic[] };
        for (const d of e.diagnostics ?? []) process.stderr.write(formatDiagnostic(d, undefined, d.file ?? policyFile) + '\n');
        throw new CliError(`Policy ${policyFile} cannot be used: ${e.message ?? String(err)}`);
      }
    }

    const modelSpec = stringOption(flags.model, 'model', argv);
    const handlerPath = stringOption(flags.modelHandler, 'model-handler', argv);
    const model = await resolveRunModel({ model: modelSpec, handler: handlerPath, ir, cwd });
    const toolsModule = stringOption(flags.tools, 'tools', argv);
    const mcpConfig = stringOption(flags.mcpConfig, 'mcp-config', argv);
    const registryUrl = stringOption(flags.registry, 'registry', argv);
    const { tools, mcpServers } = await assembleTools({ cwd, toolsModule, mcpConfig, registryUrl, closers });

    const { cliConfirmHandler } = await import('../../runtime/confirm.js');
    const confirm = cliConfirmHandler({ autoConfirm: flags.autoConfirm === true });

    const checkpointFile = stringOption(flags.checkpoint, 'checkpoint', argv);
    const { stateDirectory } = await import('../../runtime/state-dir.js');
    const protect = runProtectedEntries({
      cwd,
      ...(auditPath !== undefined ? { audit: auditPath } : {}),
      ...(checkpointFile !== undefined ? { checkpoint: checkpointFile } : {}),
      ...(auditKey ? { keyFile: auditKey.file } : {}),
      reloaded: [toolsModule, mcpConfig, handlerPath],
      stateDir: stateDirectory(),
    });
    const options: import('../../backends/langgraph/run.js').LangGraphRunOptions = { inputs, cwd, tools, builtins: false, audit, protect };
    // The audit key also seals a paused thread's state; aex resume checks it with the same key.
    if (auditKey && checkpointFile !== undefined) options.stateKey = auditKey.key;
    if (policy) options.policy = policy;
    // A person's grants for this project (docs/grants.md), as they stand when the run starts.
    const { loadGrants } = await import('../../grants/load.js');
    options.grants = loadGrants(policy?.root ?? cwd, process.env.AEX_SESSION_ID);
    if (mcpServers) options.mcpServers = mcpServers;
    if (model) options.model = model;
    if (confirm) options.confirm = confirm;
    const checkpoint = checkpointFile;
    if (checkpoint !== undefined) {
      options.checkpoint = checkpoint;
      // What `aex resume` needs to rebuild this run (stored with the LangGraph thread).
      const launch: Record<string, string | boolean> = { file: path.resolve(file), cwd };
      if (policyFile !== undefined) launch.policy = path.resolve(policyFile);
      if (toolsModule !== undefined) launch.tools = path.resolve(toolsModule);
      if (mcpConfig !== undefined) launch.mcpConfig = path.resolve(mcpConfig);
      if (registryUrl !== undefined) launch.registry = registryUrl;
      if (handlerPath !== undefined) launch.modelHandler = path.resolve(handlerPath);
      if (modelSpec !== undefined) launch.model = modelSpec;
      if (auditPath !== undefined) launch.audit = path.resolve(auditPath);
      launch.autoConfirm = flags.autoConfirm === true;
      options.launch = launch;
    }
    const threadId = stringOption(flags.threadId, 'thread-id', argv);
    if (threadId !== undefined) options.threadId = threadId;

    let result: import('../../backends/langgraph/run.js').LangGraphRunResult;
    try {
      if (backend === 'langgraph') {
        const run = await loadLangGraph();
        result = await run(ir, options);
      } else {
        const { runIR } = await import('../../runtime/interpreter.js');
        result = await runIR(ir, options);
      }
    } catch (err) {
      if (err instanceof CliError) throw err;
      // A run that throws still ends with run.finished.
      const reason = { code: 'AEX070', message: `Internal error: ${(err as Error)?.message ?? String(err)}` };
      if (!terminal) audit.emit({ event: 'run.finished', status: 'blocked', reason: reason.message, code: reason.code });
      result = { status: 'blocked', issues: [issueText(reason)], reasons: [reason] };
    }
    return finish(result, flags);
  } catch (err) {
    // A run refused during setup (policy, model, tools, MCP, registry) still leaves a
    // record: run.rejected with the message the user sees.
    if (!terminal) {
      const message = err instanceof Error ? err.message : String(err);
      audit.emit({ event: 'run.rejected', issues: [message] });
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const close of closers) await close().catch(() => undefined);
    await audit.close();
    // A log that could not be written is never reported as written: the command fails.
    if (auditFile?.failure) throw auditFile.failure;
    if (auditPath !== undefined) process.stderr.write(`audit Log written to ${path.relative(cwd, path.resolve(auditPath)) || auditPath}\n`);
    if (otel) {
      if (otel.exportError) process.stderr.write(`warn OTLP export to ${otlp} failed: ${otel.exportError}\n`);
      else process.stderr.write(`✔ Audit exported to ${otlp}\n`);
    }
  }
}

type LangGraphRun = typeof import('../../backends/langgraph/run.js').runWithLangGraph;

/** The LangGraph backend, loaded only for a run that uses it (it pulls in LangGraph itself). */
async function loadLangGraph(): Promise<LangGraphRun> {
  try {
    return (await import('../../backends/langgraph/run.js')).runWithLangGraph;
  } catch (err) {
    throw new CliError(`Cannot load the LangGraph backend: ${(err as Error).message}`);
  }
}

function finish(result: { status: string; issues: string[]; output?: unknown; threadId?: string }, flags: RunFlags): number {
  if (flags.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else if (result.status === 'success') {
    if (result.output !== undefined) process.stdout.write(JSON.stringify(result.output, null, 2) + '\n');
  } else if (result.status === 'interrupted') {
    process.stderr.write(`paused: waiting for a confirmation (thread ${result.threadId ?? '?'}); continue with aex resume --checkpoint ${JSON.stringify(flags.checkpoint ?? 'FILE')} --thread ${result.threadId ?? 'ID'} --approve|--deny\n`);
  } else {
    process.stderr.write(`error runtime blocked: ${result.issues.join(', ')}\n`);
    if (result.issues.some((i) => i.startsWith('AEX056:'))) {
      process.stderr.write(`hint This task has 'make' steps requiring a model. Use --model <provider>, --model-handler MODULE, or set AEX_MODEL.\n`);
    }
  }
  if (result.status === 'success') return EXIT.ok;
  if (result.status === 'interrupted') return EXIT.paused;
  return EXIT.failed;
}
