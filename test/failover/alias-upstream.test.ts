/**
 * ALIAS flattening through an upstream: a real Knot on loopback serves the
 * targets' zone and vigil's `server.resolvers` points at it. Covers the TTL
 * rule, a target with only AAAA, a chain, an in-zone failover record that
 * leads out of vigil's zones, and an upstream that stops answering: stale
 * answers with an EDE, then SERVFAIL after alias_max_stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, type DigResult } from '../support/dig.js';
import { until } from '../support/health.js';
import { startKnot, type ReferenceServer } from '../support/knot.js';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';

const UPSTREAM_ZONE = `$ORIGIN example.net.
$TTL 300
@        SOA ns.example.net. hostmaster.example.net. 1 3600 600 604800 60
@        NS  ns.example.net.
ns       A   192.0.2.53
lb    2  A   203.0.113.10
lb    2  A   203.0.113.11
v6only   AAAA 2001:db8::99
chain 1  CNAME lb.example.net.
`;

const ZONE = `
'':
  - type: NS
    values: [ns1.example.com.]
  - type: ALIAS
    ttl: 60
    value: lb.example.net.
ns1: {type: A, value: 192.0.2.53}
v6: {type: ANAME, value: v6only.example.net.}
chained: {type: ALIAS, ttl: 60, value: chain.example.net.}
www:
  type: CNAME
  failover:
    - {value: lb.example.net., check: never-up}
    - {value: v6only.example.net.}
flat: {type: ALIAS, value: www.example.com.}
missing: {type: ALIAS, value: nothing.example.net.}
`;

const sorted = (r: DigResult, type: string) =>
  r.answer
    .filter((rr) => rr.type === type)
    .map((rr) => rr.data)
    .sort();

describe('ALIAS through an upstream resolver', () => {
  let knot: ReferenceServer | undefined;
  let vigil: VigilUnderTest;
  const ask = (name: string, type: string) => dig(vigil, name, type);

  beforeAll(async () => {
    knot = await startKnot({ origin: 'example.net.', zoneText: UPSTREAM_ZONE });
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      {
        serverYaml: [`  resolvers: ["127.0.0.1:${knot.port}"]`, '  alias_max_stale: 3s'].join('\n'),
        mainYaml: [
          'checks:',
          '  never-up:',
          '    type: tcp',
          '    host: closed.example.net',
          '    address: 127.0.0.1',
          '    port: 9',
          '    initial: down',
          '    interval: 30s',
          '    timeout: 1s',
        ].join('\n'),
      },
    );
  });
  afterAll(async () => {
    await vigil?.stop();
    await knot?.stop();
  });

  it('flattens the apex with the lowest TTL along the chain, resolved before the first query', async () => {
    const apex = await ask('example.com', 'A');
    expect(apex.rcode).toBe('NOERROR');
    expect(apex.flags).toContain('aa');
    expect(sorted(apex, 'A')).toEqual(['203.0.113.10', '203.0.113.11']);
    expect(apex.answer.every((rr) => rr.name === 'example.com.' && rr.ttl === 2)).toBe(true);

    const chained = await ask('chained.example.com', 'A');
    expect(sorted(chained, 'A')).toEqual(['203.0.113.10', '203.0.113.11']);
    expect(chained.answer.map((rr) => rr.ttl)).toEqual([1, 1]);
  });

  it('answers an empty NOERROR for a type the target lacks, and for a target that does not exist', async () => {
    const v4 = await ask('v6.example.com', 'A');
    expect(v4.rcode).toBe('NOERROR');
    expect(v4.answer).toEqual([]);
    expect(sorted(await ask('v6.example.com', 'AAAA'), 'AAAA')).toEqual(['2001:db8::99']);

    const missing = await ask('missing.example.com', 'A');
    expect(missing.rcode).toBe('NOERROR');
    expect(missing.answer).toEqual([]);
  });

  it('follows an in-zone failover CNAME out to the upstream', async () => {
    // never-up is down, so www points at v6only, which has only AAAA.
    expect(sorted(await ask('flat.example.com', 'AAAA'), 'AAAA')).toEqual(['2001:db8::99']);
    expect((await ask('flat.example.com', 'A')).answer).toEqual([]);
  });

  it('serves the last good answer with an EDE while the upstream is down, then SERVFAIL', async () => {
    await knot!.stop();
    knot = undefined;
    // lb's TTL is 2 s: the refresh fails within about 2 s and the answer turns stale.
    let stale: DigResult | undefined;
    await until(() => {
      void ask('example.com', 'A').then((r) => {
        if (/EDE: 3 \(Stale Answer\)/.test(r.raw)) stale = r;
      });
      return stale !== undefined;
    }, 6000);
    expect(stale!.rcode).toBe('NOERROR');
    expect(sorted(stale!, 'A')).toEqual(['203.0.113.10', '203.0.113.11']);

    let failed: DigResult | undefined;
    await until(() => {
      void ask('example.com', 'A').then((r) => {
        if (r.rcode === 'SERVFAIL') failed = r;
      });
      return failed !== undefined;
    }, 8000);
    expect(failed!.answer).toEqual([]);
    expect(failed!.raw).toMatch(/EDE: 22 \(No Reachable Authority\)/);
    // Other types at the apex are unaffected.
    expect((await ask('example.com', 'NS')).rcode).toBe('NOERROR');
  });
});
