import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from '../../src/errors.js';
import { loadConfig } from '../../src/config/index.js';
import { buildZone } from '../../src/config/zone-file.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

const long = (n: number) => 'x'.repeat(n);

/** [what, zone text after APEX (lines start at 4), expected "line:col: path: message"] */
const CASES: [string, string, string][] = [
  [
    'CNAME beside other data',
    'www:\n- type: A\n  value: 192.0.2.1\n- type: CNAME\n  value: example.net.\n',
    '7:3: www[1]: expected CNAME to be the only record at its name (RFC 1034 §3.6.2), got CNAME beside A',
  ],
  [
    'ALIAS beside AAAA',
    'x:\n- type: ALIAS\n  value: example.net.\n- {type: AAAA, value: 2001:db8::1}\n',
    '5:3: x[0]: expected ALIAS without A or AAAA at its name, got ALIAS beside AAAA',
  ],
  [
    'ANAME is ALIAS',
    'x:\n- type: ANAME\n  value: example.net.\n- {type: A, value: 192.0.2.1}\n',
    '5:3: x[0]: expected ALIAS without A or AAAA at its name, got ALIAS beside A',
  ],
  [
    'bad IPv4 address',
    'a: {type: A, value: 192.0.2.256}\n',
    '4:21: a.value: expected an IPv4 address, got "192.0.2.256"',
  ],
  [
    'bad IPv6 address',
    'a:\n  type: AAAA\n  values:\n  - 2001:db8::1\n  - 2001:db8:::2\n',
    '8:5: a.values[1]: expected an IPv6 address, got "2001:db8:::2"',
  ],
  [
    'label over 63 octets',
    `${long(64)}: {type: A, value: 192.0.2.1}\n`,
    `4:1: ${long(64)}: expected labels of at most 63 octets (RFC 1035 §2.3.4), got "${long(64)}" (64 octets)`,
  ],
  [
    'name over 255 octets',
    `${[1, 2, 3, 4].map(() => long(60)).join('.')}: {type: A, value: 192.0.2.1}\n`,
    '4:1: ' +
      [1, 2, 3, 4].map(() => long(60)).join('.') +
      ': expected a name of at most 255 octets (RFC 1035 §2.3.4), got 257 octets',
  ],
  [
    'duplicate owner',
    'www: {type: A, value: 192.0.2.1}\nwww: {type: AAAA, value: 2001:db8::1}\n',
    '5:1: www: expected each owner name once, got "www" again (first on line 4)',
  ],
  [
    'duplicate owner by case',
    "www: {type: A, value: 192.0.2.1}\n'WWW': {type: TXT, value: x}\n",
    '5:1: WWW: expected each owner name once, got "WWW" again (first on line 4)',
  ],
  [
    'same type twice',
    'm:\n- {type: A, value: 192.0.2.1}\n- {type: A, value: 192.0.2.2}\n',
    '6:3: m[1].type: expected one A record per name (list its values under "values"), got a second one (first on line 5)',
  ],
  [
    'MX out of range',
    'mx: {type: MX, value: {exchange: mail.example.com., preference: 70000}}\n',
    '4:65: mx.value.preference: expected an integer from 0 to 65535, got 70000',
  ],
  [
    'MX wrong shape',
    'mx: {type: MX, value: mail.example.com.}\n',
    '4:23: mx.value: expected a mapping with exchange and preference, got "mail.example.com."',
  ],
  [
    'relative hostname',
    'www: {type: CNAME, value: ns1.example.com}\n',
    '4:27: www.value: expected an absolute name ending in ".", got "ns1.example.com" (did you mean "ns1.example.com."?)',
  ],
  [
    'unescaped semicolon',
    "t: {type: TXT, value: 'v=DKIM1; k=rsa'}\n",
    '4:23: t.value: expected every ";" escaped as "\\;", got "v=DKIM1; k=rsa" (write "v=DKIM1\\\\; k=rsa")',
  ],
  [
    'octoDNS dynamic',
    'd:\n  type: A\n  value: 192.0.2.1\n  dynamic: {pools: {}}\n',
    '7:3: d.dynamic: expected a plain record, got "dynamic" (octoDNS dynamic records are not supported by vigil)',
  ],
  [
    'unknown record key',
    'u: {type: A, value: 192.0.2.1, tll: 60}\n',
    '4:32: u.tll: expected one of type, ttl, value, values, failover, select, when_all_down, octodns, got unknown key "tll"',
  ],
  [
    'ttl out of range',
    'u: {type: A, ttl: -1, value: 192.0.2.1}\n',
    '4:19: u.ttl: expected an integer from 0 to 2147483647, got -1',
  ],
  [
    'SOA below the apex',
    's:\n  type: SOA\n  value: {mname: a.example.com., rname: b.example.com., refresh: 1, retry: 1, expire: 1, minimum: 1}\n',
    '5:9: s.type: expected SOA only at the zone apex, got SOA below it',
  ],
  [
    'value and values',
    'v: {type: A, value: 192.0.2.1, values: [192.0.2.2]}\n',
    '4:32: v: expected "value" or "values", got both',
  ],
  [
    'values on CNAME',
    'c: {type: CNAME, values: [example.net.]}\n',
    '4:18: c.values: expected "value" (CNAME holds one value), got "values"',
  ],
  [
    'lowercase type',
    'c: {type: cname, value: example.net.}\n',
    '4:11: c.type: expected a record type (A, AAAA, ALIAS, ANAME, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, SSHFP, SVCB, TLSA, TXT), got "cname" (did you mean "CNAME"?)',
  ],
  [
    'absolute owner key',
    'www.example.com.: {type: A, value: 192.0.2.1}\n',
    '4:1: www.example.com.: expected a name relative to the zone, got "www.example.com." (did you mean "www"?)',
  ],
  [
    'wildcard in the middle',
    'a.*.b: {type: A, value: 192.0.2.1}\n',
    '4:1: a.*.b: expected letters, digits, "-", "_" or "/" in label "*" ("*" is only a wildcard as the leftmost label)',
  ],
  [
    'record is a string',
    'www: 192.0.2.1\n',
    '4:6: www: expected a record mapping with type and value or values, or a list of them, got "192.0.2.1"',
  ],
  [
    'SRV missing port',
    's: {type: SRV, value: {priority: 1, weight: 1, target: .}}\n',
    '4:23: s.value: expected key "port", got none',
  ],
  [
    'DS digest not hex',
    'd: {type: DS, value: {key_tag: 1, algorithm: 13, digest_type: 2, digest: xyz}}\n',
    '4:74: d.value.digest: expected an even number of hexadecimal digits, got "xyz"',
  ],
  [
    'SVCB unknown param',
    's: {type: HTTPS, value: {svcpriority: 1, targetname: ., svcparams: {alpn: [h2], bogus: 1}}}\n',
    '4:81: s.value.svcparams.bogus: expected a SvcParam key (mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint or keyNNNNN), got "bogus"',
  ],
  [
    'YAML syntax error',
    'a: {type: A, value: 192.0.2.1\nb: {type: A, value: 192.0.2.2}\n',
    'invalid YAML',
  ],
  ['alias without anchor', 'a: *nowhere\n', '4:4: alias *nowhere has no anchor'],
];

const ZONE = {
  file: '/z/example.com.yaml',
  origin: 'example.com.',
  contentHash: 'h',
  mtimeSeconds: 1,
};

function zoneProblems(text: string, mode: 'auto' | 'yaml-entries' | 'whole'): string[] {
  const problems: ConfigProblem[] = [];
  buildZone({ ...ZONE, text, mode }, problems);
  return problems.map((p) => `${p.line}:${p.col}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
}

describe('zone file errors', () => {
  it.each(CASES)('%s', (_name, body, expected) => {
    const found = zoneProblems(APEX + body, 'auto');
    expect(
      found.some((p) => p.includes(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it.each(CASES)('%s: same problems from the yaml-entry and whole-file parsers', (_n, body) => {
    const fast = zoneProblems(APEX + body, 'auto');
    expect(zoneProblems(APEX + body, 'yaml-entries')).toEqual(fast);
    expect(zoneProblems(APEX + body, 'whole')).toEqual(fast);
  });

  it('reports a CNAME at the apex and a missing apex NS set', () => {
    const apexCname = zoneProblems("'':\n  type: CNAME\n  value: example.net.\n", 'auto');
    expect(apexCname).toEqual([
      "2:3: '': expected no CNAME at the zone apex (RFC 1034 §3.6.2), got CNAME",
      "1:1: '': expected an NS record set at the zone apex, got none",
    ]);
    expect(zoneProblems('www: {type: A, value: 192.0.2.1}\n', 'auto')).toEqual([
      "1:1: '': expected an NS record set at the zone apex, got none",
    ]);
  });

  it('reports every problem of several files at once, with file names', async () => {
    const main =
      'server:\n  listen: ["127.0.0.1:0", "[::1]:99999"]\n  log_level: loud\nzones: zones\n';
    const file = await writeConfig(
      {
        'example.com.yaml': APEX + 'a: {type: A, value: 1.2.3}\n',
        'example.net.yml': 'b: {type: CNAME, value: example.org}\n',
        'Example.COM.yml': APEX,
        'bad name!.yaml': APEX,
        'notes.txt': 'ignored',
      },
      main,
    );
    const found = await problemsOf(() => loadConfig(file));
    expect(found).toEqual([
      'vigil.yaml:2:27: server.listen[1]: expected an address and port such as "127.0.0.1:53" or "[::1]:53", got "[::1]:99999"',
      'vigil.yaml:3:14: server.log_level: expected one of fatal, error, warn, info, debug, trace, got "loud"',
      'bad name!.yaml:1:1: expected a file name of the form <origin>.yaml, got "bad name!.yaml" (expected letters, digits, "-", "_" or "/" in label "bad name!")',
      'example.com.yaml:1:1: expected one file per zone, got "example.com.yaml" and "Example.COM.yml" for example.com.',
      "example.net.yml:1:1: '': expected an NS record set at the zone apex, got none",
      'example.net.yml:1:25: b.value: expected an absolute name ending in ".", got "example.org" (did you mean "example.org."?)',
    ]);
  });
});
