// Which real clients scripts/test-hosts.mjs installed for this run ($AEX_HOSTS_CLIENTS, a
// JSON file): the binary of each, or why it is skipped.
import { readFileSync } from 'node:fs';

export type ClientStatus = { bin: string; version: string; reported: string } | { skip: string };

export function clientFor(name: string): ClientStatus {
  const file = process.env.AEX_HOSTS_CLIENTS;
  if (file === undefined || file === '') return { skip: 'not started by npm run test:hosts (AEX_HOSTS_CLIENTS is not set)' };
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ClientStatus>;
  return all[name] ?? { skip: `scripts/test-hosts.mjs does not install ${name}` };
}

/** The binary of a client, or undefined when it is skipped (the reason is printed once). */
export function clientBin(name: string): string | undefined {
  const c = clientFor(name);
  if ('skip' in c) {
    console.warn(`skipping ${name}: ${c.skip}`);
    return undefined;
  }
  return c.bin;
}
