import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringOption } from '../raw-argv.js';
import { SignatureError, resolveKey, verifySignature } from '../../authoring/signature.js';
import { CliError } from '../errors.js';
import { EXIT } from '../../exit-codes.js';

interface VerifyOptions {
  signature?: unknown;
  id?: unknown;
  key?: unknown;
  keyFile?: unknown;
  repoId?: unknown;
  allowV1?: unknown;
}

export function register(cli: CAC): void {
  cli
    .command('verify <file>', 'Check a contract against its signature file; exit 1 unless it is authentic and unchanged')
    .option('--signature <path>', 'Signature file (default FILE.signature.json)')
    .option('--id <signer>', 'Require this signer')
    .option('--key <secret>', 'HMAC key')
    .option('--key-file <path>', 'File holding the HMAC key (surrounding whitespace is trimmed)')
    .option('--repo-id <id>', 'Repository identity to check (default: git config aex.repositoryId, else the root commit)')
    .option('--allow-v1', 'Accept a legacy aex/signature@v1 file (it authenticates only the hash), with a warning')
    .example('aex verify tasks/fix-test.aex --signature tasks/fix-test.aex.signature.json --key-file ./keys/aex.hmac')
    .action((file: string, opts: VerifyOptions) => {
      try {
        const key = resolveKey({ key: stringOption(opts.key, ['key']), keyFile: stringOption(opts.keyFile, ['key-file']) });
        const sigOpt = stringOption(opts.signature, ['signature']);
        const sigPath = resolve(sigOpt !== undefined && sigOpt !== '' ? sigOpt : `${resolve(file)}.signature.json`);
        let text: string;
        try {
          text = readFileSync(sigPath, 'utf8');
        } catch {
          throw new CliError(`cannot read signature file ${sigPath}`);
        }
        const expectedSigner = stringOption(opts.id, ['id']);
        if (expectedSigner === '') throw new CliError('--id needs a SIGNER');
        const repoId = stringOption(opts.repoId, ['repo-id']);
        if (repoId === '') throw new CliError('--repo-id needs an ID');
        const outcome = verifySignature(file, text, { key, expectedSigner, repoId, allowV1: opts.allowV1 === true });
        for (const w of outcome.warnings) process.stderr.write(`warn ${w}\n`);
        if (!outcome.ok) {
          process.stderr.write(`invalid Signature verification failed: ${outcome.reason}\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        process.stdout.write(`✔ Signature verified for ${outcome.abs}\n`);
      } catch (err) {
        if (err instanceof SignatureError) {
          process.stderr.write(`invalid Signature verification failed: ${err.message}\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        throw err;
      }
    });
}
