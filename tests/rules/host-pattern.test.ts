import { describe, expect, it } from 'vitest';
import { RuleSyntaxError } from '../../src/rules/errors.js';
import {
  hostPatternMatches,
  hostPatternWithin,
  normaliseHost,
  normaliseUrl,
  parseUrlGlob,
  urlGlobMatches,
} from '../../src/rules/host-pattern.js';

describe('normaliseHost', () => {
  const table: Array<[string, string | null]> = [
    ['github.com', 'github.com'],
    ['GitHub.COM', 'github.com'],
    ['GitHub.COM.', 'github.com'],
    ['github.com..', null],
    ['ＧＩＴＨＵＢ.com', 'github.com'], // full-width letters map to ASCII (IDNA)
    ['bücher.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.de', 'xn--bcher-kva.de'],
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['[::1]', '::1'],
    ['::1', '::1'],
    ['[0:0:0:0:0:0:0:1]', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['a..b', null],
    ['', null],
    ['.', null],
    ['a b', null],
    ['a/b', null],
    ['a%41.com', null],
    ['user@github.com', null],
    ['github.com:443', null],
    ['*.github.com', null],
    ['a\\b', null],
    ['1.2.3.4.5', null],
    ['256.1.1.1', null],
    ['xn--zz', null],
    ['a'.repeat(64) + '.com', null],
    ['[nope]', null],
  ];
  it.each(table)('%j → %j', (raw, want) => {
    expect(normaliseHost(raw)).toBe(want);
  });
});

describe('normaliseUrl', () => {
  const table: Array<[string, { url: string; host: string } | null]> = [
    ['https://GitHub.com./a/../b?q=1#frag', { url: 'https://github.com/b?q=1', host: 'github.com' }],
    ['https://github.com@evil.com/', { url: 'https://github.com@evil.com/', host: 'evil.com' }],
    ['http://[0::1]:8080/x', { url: 'http://[::1]:8080/x', host: '::1' }],
    ['https://github.com:443/x', { url: 'https://github.com/x', host: 'github.com' }],
    ['https://github.com/%65vil/%2f', { url: 'https://github.com/evil/%2F', host: 'github.com' }],
    ['https://bücher.de/', { url: 'https://xn--bcher-kva.de/', host: 'xn--bcher-kva.de' }],
    ['file:///etc/passwd', { url: 'file:///etc/passwd', host: '' }],
    ['example.com/x', null],
    ['localhost:8080/x', null],
    ['mailto:a@b.c', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
    ['https://a\0b/', null],
  ];
  it.each(table)('%j', (raw, want) => {
    expect(normaliseUrl(raw)).toEqual(want);
  });
});

describe('hostPatternMatches', () => {
  const table: Array<[string, string, boolean]> = [
    ['github.com', 'github.com', true],
    ['github.com', 'GitHub.COM.', true],
    ['GitHub.com', 'github.com', true],
    ['github.com', 'api.github.com', false],
    ['github.com', 'github.com.evil.com', false],
    ['github.com', 'evilgithub.com', false],
    ['*.github.com', 'api.github.com', true],
    ['*.github.com', 'a.b.github.com', true],
    ['*.github.com', 'github.com', false],
    ['*.github.com', 'evilgithub.com', false],
    ['*.github.com', 'github.com.evil.com', false],
    ['*.github.com', 'API.GitHub.com.', true],
    ['*.github.com.', 'api.github.com', true],
    ['api*.github.com', 'api2.github.com', true],
    ['api*.github.com', 'api.x.github.com', false], // `*` never crosses a dot
    ['*', 'anything.example', true],
    ['*', '::1', true],
    ['bücher.de', 'xn--bcher-kva.de', true],
    ['xn--bcher-kva.de', 'BÜCHER.de', true],
    ['127.0.0.1', '127.1', true],
    ['[::1]', '::1', true],
    ['::1', '[0:0::1]', true],
    ['github.com', 'not a host', false],
    ['*.com', 'github.com', true],
    ['*.com', 'com', false],
    ['*.*hub.com', 'git.github.com', true], // label-wise wildcards
    ['*.*hub.com', 'github.com', false],
    ['github.*', 'github.evil', true],
    ['github.*', 'github.evil.com', false],
  ];
  it.each(table)('%j vs %j → %s', (pattern, host, want) => {
    expect(hostPatternMatches(pattern, host)).toBe(want);
  });

  it.each(['', 'a/b', 'a..b', 'git hub.com', 'a@b', 'github.com:443', '*.', '*..com', 'a..*', '*b%.com'])('rejects pattern %j', (p) => {
    expect(() => hostPatternMatches(p, 'github.com')).toThrow(RuleSyntaxError);
  });

  it('hostPatternWithin', () => {
    expect(hostPatternWithin('api.github.com', '*.github.com')).toBe(true);
    expect(hostPatternWithin('*.api.github.com', '*.github.com')).toBe(true);
    expect(hostPatternWithin('*.github.com', 'github.com')).toBe(false);
    expect(hostPatternWithin('github.com', '*.github.com')).toBe(false);
    expect(hostPatternWithin('*.github.com', '*')).toBe(true);
    expect(hostPatternWithin('*', '*.github.com')).toBe(false);
    expect(hostPatternWithin('GitHub.com.', 'github.com')).toBe(true);
  });
});

describe('urlGlobMatches', () => {
  const table: Array<[string, string, boolean]> = [
    ['https://github.com/**', 'https://github.com/org/repo', true],
    ['https://github.com/**', 'https://github.com', true],
    ['https://github.com/**', 'https://GITHUB.com./x', true],
    ['https://github.com/**', 'https://github.com@evil.com/', false],
    ['https://github.com*', 'https://github.com@evil.com/', false],
    ['https://github.com/**', 'https://github.com.evil.com/x', false],
    ['https://github.com/**', 'http://github.com/x', false],
    ['https://github.com/**', 'https://github.com:8443/x', false],
    ['https://github.com:*/**', 'https://github.com:8443/x', true],
    ['https://github.com/**', 'https://github.com:443/x', true],
    ['https://github.com/org/*', 'https://github.com/org/repo', true],
    ['https://github.com/org/*', 'https://github.com/org/repo/issues', false],
    ['https://github.com/org/**', 'https://github.com/org/../other/x', false], // dot segments resolved first
    ['https://github.com/evil/**', 'https://github.com/%65vil/x', true], // percent-encoded unreserved decoded
    ['https://github.com/org/**', 'https://github.com/org%2F..%2Fother/x', false],
    ['https://*.github.com/**', 'https://api.github.com/x', true],
    ['https://*.github.com/**', 'https://github.com/x', false],
    ['https://github.com', 'https://github.com/', true],
    ['https://github.com', 'https://github.com/x', false],
    ['https://github.com/a?b', 'https://github.com/a?b', true],
    ['https://github.com/x', 'https://github.com/x#frag', true],
    ['*://github.com/**', 'wss://github.com/x', true],
    ['https://github.com/**', 'not a url', false],
  ];
  it.each(table)('%j vs %j → %s', (glob, url, want) => {
    expect(urlGlobMatches(glob, url)).toBe(want);
  });

  it.each(['github.com/x', 'https://user@github.com/', 'https:///x', 'https://a..b/x', 'https://gi thub.com/'])('rejects glob %j', (g) => {
    expect(() => parseUrlGlob(g)).toThrow(RuleSyntaxError);
  });
});

describe('URL globs with IP literals and ports', () => {
  const table: Array<[string, string, boolean]> = [
    ['http://[::1]:8080/**', 'http://[0::1]:8080/x', true],
    ['http://[::1]:8080/**', 'http://[::1]:8081/x', false],
    ['http://[::1]/**', 'http://[::1]/x', true],
    ['http://[::1]/**', 'http://[::1]:8080/x', false],
    ['http://127.0.0.1:*/**', 'http://127.1:9/x', true],
    ['http://localhost:80/**', 'http://localhost/x', true], // the default port, written or not
    ['http://localhost:80/**', 'http://localhost:80/x', true],
    ['https://a.com:443/**', 'https://a.com/x', true],
    ['https://a.com:80/**', 'https://a.com/x', false],
    ['https://a.com:*/**', 'https://a.com/x', true],
  ];
  it.each(table)('%j vs %j → %s', (glob, url, want) => {
    expect(urlGlobMatches(glob, url)).toBe(want);
  });
  it.each(['http://[::1/x', 'http://a.com:x/', 'http://a.com:1:2/'])('rejects %j', (g) => {
    expect(() => parseUrlGlob(g)).toThrow(RuleSyntaxError);
  });
});
