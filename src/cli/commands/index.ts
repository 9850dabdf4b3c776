import type { CAC } from 'cac';
import { register as check } from './check.js';
import { register as compile } from './compile.js';
import { register as parse } from './parse.js';
import { register as fmt } from './fmt.js';
import { register as classify } from './classify.js';
import { register as draft } from './draft.js';
import { register as gate } from './gate.js';
import { register as init } from './init.js';
import { register as proxy } from './proxy.js';
import { register as review } from './review.js';
import { register as sign } from './sign.js';
import { register as verify } from './verify.js';
import { register as run } from './run.js';
import { register as effective } from './effective.js';
import { register as resume } from './resume.js';
import { register as explain } from './explain.js';
import { register as serve } from './serve.js';
import { register as grant } from './grant.js';
import { register as test } from './test.js';
import { register as audit } from './audit.js';
import { register as suggest } from './suggest.js';
import { register as state } from './state.js';

// Every command lives in a file of its own and exports `register(cli)`.
// Add one import and one entry per command.

export type RegisterCommand = (cli: CAC) => void;

export const commands: RegisterCommand[] = [
  check,
  compile,
  parse,
  fmt,
  classify,
  draft,
  gate,
  init,
  proxy,
  review,
  sign,
  verify,
  run,
  effective,
  resume,
  explain,
  serve,
  grant,
  test,
  audit,
  suggest,
  state,
];
