// The options of runners (sudo, doas, watch, setsid, chroot) are walked by one loop in
// src/describe/shell/runners.ts: these pin where each runner's inner command starts, and
// that an option it cannot read hides the command rather than guessing.

import { describe, expect, test } from 'vitest';
import { describe_, execs, forms, unresolvedWhys, at } from './helpers.js';

const rmRoot = 'rm -rf /';

describe('runner options', () => {
  test.each([
    ['sudo -uroot rm -rf /'],
    ['sudo --user=root rm -rf /'],
    ['sudo -nE rm -rf /'],
    ['sudo -u root -- rm -rf /'],
    ['doas -u root -- rm -rf /'],
    ['watch -x rm -rf /'],
    ['watch -d rm -rf /'],
    ['watch -n 1 -- rm -rf /'],
    ['setsid -f rm -rf /'],
    ['setsid -- rm -rf /'],
  ])('%s reaches the inner command', async (line) => {
    expect(await execs(line)).toContain(rmRoot);
  });

  test.each([['sudo -Z rm -rf /'], ['sudo "$OPT" rm -rf /'], ['setsid --bogus rm -rf /'], ['watch "$N" rm -rf /'], ['chroot --bogus /r rm -rf /']])(
    '%s: an unknown option hides the command',
    async (line) => {
      const actions = await describe_(line);
      expect(unresolvedWhys(actions)).toContain('dynamic command');
      expect(await execs(line)).not.toContain(rmRoot);
    },
  );

  test('chroot skips its directory operand and its valued options', async () => {
    expect(await execs('chroot --userspec 0:0 /r rm -rf /')).toContain(rmRoot);
    expect(await execs('chroot --userspec=0:0 /r rm -rf /')).toContain(rmRoot);
  });

  test('sudo -e writes its operands; sudo -l runs nothing; sudo -s alone is unknown', async () => {
    expect(forms(await describe_('sudo -e a.txt'), 'file.write')).toContain(at('a.txt'));
    expect(unresolvedWhys(await describe_('sudo -l'))).not.toContain('dynamic command');
    expect(unresolvedWhys(await describe_('sudo -s'))).toContain('dynamic command');
    expect(unresolvedWhys(await describe_('sudo'))).toContain('dynamic command');
  });
});
