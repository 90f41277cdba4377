import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { RecordSet } from '../../src/zone/types.js';
import { APEX, problemsOf, writeConfig } from './helpers.js';

/** Main file with two checks, web-a and web-b. */
const MAIN_WITH_CHECKS =
  'server:\n  listen: ["127.0.0.1:0"]\nzones: zones\nchecks:\n' +
  '  web-a: {type: tcp, host: a.example.net, address: 127.0.0.1, port: 1}\n' +
  '  web-b: {type: tcp, host: b.example.net, address: 127.0.0.1, port: 2}\n';

async function load(zoneText: string, main = MAIN_WITH_CHECKS) {
  return loadConfig(await writeConfig({ 'example.com.yaml': APEX + zoneText }, main));
}

function rrset(config: Awaited<ReturnType<typeof load>>, name: string, type: string): RecordSet {
  const found = config.zones[0]!.rrsets.find((s) => s.name === name && s.type === type);
  if (!found) throw new Error(`no ${type} at ${name}`);
  return found;
}

describe('failover records in zone files', () => {
  it('reads CNAME, A and ALIAS failover lists with their checks and options', async () => {
    const config = await load(
      [
        'www:',
        '  type: CNAME',
        '  ttl: 60',
        '  failover:',
        '    - {value: eu-lb.example.net., check: web-a}',
        '    - {value: us-lb.example.net., check: web-b}',
        'api:',
        '  type: A',
        '  ttl: 30',
        '  select: all',
        '  when_all_down: servfail',
        '  failover:',
        '    - value: 192.0.2.10',
        '      check: web-a',
        '    - value: 198.51.100.7',
        'apex:',
        '  - type: ANAME',
        '    failover:',
        '      - {value: eu-lb.example.net., check: web-a}',
        '',
      ].join('\n'),
    );
    const www = rrset(config, 'www.example.com.', 'CNAME');
    expect(www.records).toEqual([
      { target: 'eu-lb.example.net.' },
      { target: 'us-lb.example.net.' },
    ]);
    expect(www.failover?.select).toBe('first');
    expect(www.failover?.whenAllDown).toBe('first');
    expect(www.failover?.targets.map((t) => t.check)).toEqual(['web-a', 'web-b']);
    expect(www.failover?.targets[1]?.source.line).toBe(9);

    const api = rrset(config, 'api.example.com.', 'A');
    expect(api.ttlSeconds).toBe(30);
    expect(api.records).toEqual([{ address: '192.0.2.10' }, { address: '198.51.100.7' }]);
    expect(api.failover).toMatchObject({ select: 'all', whenAllDown: 'servfail' });
    expect(api.failover?.targets.map((t) => t.check)).toEqual(['web-a', undefined]);

    const alias = rrset(config, 'apex.example.com.', 'ALIAS');
    expect(alias.failover?.targets).toHaveLength(1);
  });

  /** [what, zone text after APEX (lines from 4), expected problem] */
  const CASES: [string, string, string][] = [
    [
      'an undefined check',
      'www:\n  type: CNAME\n  failover:\n    - {value: a.example.net., check: nope}\n',
      'example.com.yaml:7:38: www.example.com. failover[0].check: expected a check defined under "checks:" (web-a, web-b), got "nope"',
    ],
    [
      'failover on MX',
      'mx:\n  type: MX\n  failover:\n    - {value: {preference: 1, exchange: a.example.net.}}\n',
      'example.com.yaml:6:3: mx.failover: expected failover only on A, AAAA, CNAME or ALIAS, got it on MX',
    ],
    [
      'failover beside value',
      'a:\n  type: A\n  value: 192.0.2.1\n  failover:\n    - {value: 192.0.2.2}\n',
      'example.com.yaml:6:3: a.value: expected "failover" or "value", got both',
    ],
    [
      'select all on CNAME',
      'w:\n  type: CNAME\n  select: all\n  failover:\n    - {value: a.example.net.}\n',
      'example.com.yaml:6:3: w.select: expected first (a CNAME answers one target), got "all"',
    ],
    [
      'when_all_down all on CNAME',
      'w:\n  type: CNAME\n  when_all_down: all\n  failover:\n    - {value: a.example.net.}\n',
      'example.com.yaml:6:3: w.when_all_down: expected first (a CNAME answers one target), got "all"',
    ],
    [
      'unknown when_all_down',
      'a:\n  type: A\n  when_all_down: random\n  failover:\n    - {value: 192.0.2.1}\n',
      'example.com.yaml:6:18: a.when_all_down: expected one of first, all, nodata, servfail, got "random"',
    ],
    [
      'select without failover',
      'a:\n  type: A\n  select: all\n  value: 192.0.2.1\n',
      'example.com.yaml:6:3: a.select: expected "select" only beside "failover", got no "failover"',
    ],
    [
      'an empty list',
      'a:\n  type: A\n  failover: []\n',
      'example.com.yaml:6:13: a.failover: expected a list of {value, check} targets, got a list',
    ],
    [
      'a bad address',
      'a:\n  type: A\n  failover:\n    - {value: 192.0.2.300, check: web-a}\n',
      'example.com.yaml:7:15: a.failover[0].value: expected an IPv4 address, got "192.0.2.300"',
    ],
    [
      'an unknown target key',
      'a:\n  type: A\n  failover:\n    - {value: 192.0.2.1, weight: 3}\n',
      'example.com.yaml:7:26: a.failover[0].weight: expected one of value, check, got unknown key "weight"',
    ],
    [
      'a repeated target',
      'a:\n  type: A\n  failover:\n    - {value: 192.0.2.1}\n    - {value: 192.0.2.1, check: web-a}\n',
      'example.com.yaml:8:15: a.failover[1].value: expected distinct targets, got the value of failover[0] again',
    ],
    [
      'an ALIAS loop through a failover CNAME',
      'x:\n  type: ALIAS\n  value: www.example.com.\nwww:\n  type: CNAME\n  failover:\n    - {value: x.example.net., check: web-a}\n    - {value: x.example.com., check: web-b}\n',
      'example.com.yaml:5:3: x.example.com.: expected ALIAS targets that do not lead back to it, got x.example.com. -> www.example.com. -> x.example.com.',
    ],
  ];

  it.each(CASES)('reports %s with its place', async (_what, zone, expected) => {
    const problems = await problemsOf(() => load(zone));
    expect(problems).toEqual([expected]);
  });

  it('reports a check removed from the main file while the zone file is unchanged', async () => {
    const zone = 'www:\n  type: CNAME\n  failover:\n    - {value: a.example.net., check: web-b}\n';
    const main = await writeConfig({ 'example.com.yaml': APEX + zone }, MAIN_WITH_CHECKS);
    const previous = await loadConfig(main);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(main, MAIN_WITH_CHECKS.split('\n').slice(0, 5).join('\n') + '\n');
    const problems = await problemsOf(() => loadConfig(main, { previous }));
    expect(problems).toEqual([
      'example.com.yaml:7:38: www.example.com. failover[0].check: expected a check defined under "checks:" (web-a), got "web-b"',
    ]);
  });
});
