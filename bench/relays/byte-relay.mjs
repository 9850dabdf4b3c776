// A reference for bench/proxy.mjs: the least a relay process can do — pass the bytes of a
// child's stdio through, unread. What it adds to a call is the cost of a third process and
// two more pipe crossings on this machine, which no proxy can go below.
//   node bench/relays/byte-relay.mjs CMD ARGS…
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.on('data', (chunk) => child.stdin.write(chunk));
child.stdout.on('data', (chunk) => process.stdout.write(chunk));
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 0));
