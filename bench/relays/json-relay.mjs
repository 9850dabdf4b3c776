// A reference for bench/proxy.mjs: a relay that reads every message and forwards it
// re-serialised, as `aex proxy` does, and nothing else (no judging, ledger or audit). The gap
// between it and `aex proxy` is what deciding and recording a call costs.
//   node bench/relays/json-relay.mjs CMD ARGS…
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });

/** Forwards whole lines of `from` to `to`, each parsed and serialised again, one write per chunk. */
function relayLines(from, to) {
  let pending = '';
  from.on('data', (chunk) => {
    pending += chunk;
    let out = '';
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      out += JSON.stringify(JSON.parse(pending.slice(0, nl))) + '\n';
      pending = pending.slice(nl + 1);
    }
    if (out !== '') to.write(out);
  });
}
relayLines(process.stdin, child.stdin);
relayLines(child.stdout, process.stdout);
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 0));
