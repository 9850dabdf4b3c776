import type { CAC } from 'cac';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { stringOption } from '../raw-argv.js';
import { SignatureError, createSignature, resolveKey } from '../../authoring/signature.js';
import { CliError } from '../errors.js';

interface SignOptions {
  id?: unknown;
  key?: unknown;
  keyFile?: unknown;
  output?: unknown;
  repoId?: unknown;
}

export function register(cli: CAC): void {
  cli
    .command('sign <file>', 'Write an HMAC-SHA256 signature file (aex/signature@v3: path, repository, hash, signer, time) for a contract')
    .option('--id <signer>', 'Who signs (stored in the signature and authenticated)')
    .option('--key <secret>', 'HMAC key (prefer --key-file: arguments are visible to other users)')
    .option('--key-file <path>', 'File holding the HMAC key (surrounding whitespace is trimmed)')
    .option('--output <path>', 'Where to write the signature (default FILE.signature.json)')
    .option('--repo-id <id>', 'Repository identity to bind (default: git config aex.repositoryId, else the root commit)')
    .example('aex sign tasks/fix-test.aex --id release-bot --key-file ./keys/aex.hmac')
    .action((file: string, opts: SignOptions) => {
      try {
        const signer = stringOption(opts.id, ['id']);
        if (signer === undefined || signer.trim() === '') throw new CliError('sign needs --id SIGNER');
        const key = resolveKey({ key: stringOption(opts.key, ['key']), keyFile: stringOption(opts.keyFile, ['key-file']) });
        const repoId = stringOption(opts.repoId, ['repo-id']);
        if (repoId === '') throw new CliError('--repo-id needs an ID');
        const { abs, signature } = createSignature(file, { signer, key, repoId });
        const outOpt = stringOption(opts.output, ['output']);
        const out = outOpt !== undefined && outOpt !== '' ? resolve(outOpt) : `${abs}.signature.json`;
        if (out === abs) throw new CliError('--output must not be the signed file itself');
        try {
          writeFileAtomic(out, JSON.stringify(signature, null, 2) + '\n');
        } catch (err) {
          throw new CliError(`cannot write ${out}: ${(err as Error).message}`);
        }
        process.stdout.write(`signed ${abs} -> ${out}\n`);
      } catch (err) {
        if (err instanceof SignatureError) throw new CliError(err.message);
        throw err;
      }
    });
}
