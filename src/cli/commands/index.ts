import type { CAC } from 'cac';
import { register as classify } from './classify.js';
import { register as gate } from './gate.js';
import { register as init } from './init.js';
import { register as proxy } from './proxy.js';
import { register as sign } from './sign.js';
import { register as verify } from './verify.js';

// Every command lives in a file of its own and exports `register(cli)`.
// Add one import and one entry per command.

export type RegisterCommand = (cli: CAC) => void;

export const commands: RegisterCommand[] = [
  classify,
  gate,
  init,
  proxy,
  sign,
  verify,
];
