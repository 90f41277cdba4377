/**
 * The failover engine on its own: answers computed from a check-state
 * function and a stand-in upstream, read back through the real lookup.
 * The end-to-end tests (failover.test.ts, alias-upstream.test.ts) cover
 * the same paths with real probes, Knot and dig; these reach the corners.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { FailoverEngine, type AliasUpstream, type UpstreamView } from '../../src/failover/index.js';
import { createLogger } from '../../src/log/index.js';
import { lookup, ZoneSet, type RecordSet } from '../../src/zone/index.js';
import { APEX, writeConfig } from '../config/helpers.js';

const A = 1;
const AAAA = 28;
const MAIN =
  'server:\n  listen: ["127.0.0.1:0"]\nzones: zones\nchecks:\n' +
  '  one: {type: tcp, host: a.example.net, address: 127.0.0.1, port: 1}\n' +
  '  two: {type: tcp, host: b.example.net, address: 127.0.0.1, port: 2}\n';

/** An upstream whose views the test sets by hand. */
class StubUpstream implements AliasUpstream {
  views = new Map<string, UpstreamView>();
  tracked: string[] = [];
  track(wanted: Iterable<readonly [string, 'A' | 'AAAA']>): void {
    this.tracked = [...wanted].map(([name, type]) => `${name} ${type}`);
  }
  get(name: string, type: 'A' | 'AAAA'): UpstreamView {
    return this.views.get(`${name} ${type}`) ?? { kind: 'pending' };
  }
  async settled(): Promise<void> {}
}

async function setUp(zoneText: string) {
  const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX + zoneText }, MAIN));
  const zones = new ZoneSet(config.zones);
  const zone = zones.get('example.com.')!;
  const states = new Map<string, 'up' | 'down'>([
    ['one', 'up'],
    ['two', 'up'],
  ]);
  const upstream = new StubUpstream();
  const changed: number[][] = [];
  const logs: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (l: string) => void logs.push(JSON.parse(l)) });
  const engine = new FailoverEngine({ log, upstream, onChange: (ids) => changed.push([...ids]) });
  await engine.attach(zones, (check) => states.get(check));
  const answer = (name: string, type: number) => {
    const r = lookup(zone, name, type);
    const data = r.answer.flatMap((e) =>
      (e.rrset as RecordSet<'A'>).records.map(
        (d) =>
          `${e.ttlSeconds ?? e.rrset.ttlSeconds} ${(d as { address?: string; target?: string }).address ?? (d as { target?: string }).target}`,
      ),
    );
    return { rcode: r.rcode, ede: r.ede, data };
  };
  const flip = (check: string, state: 'up' | 'down') => {
    states.set(check, state);
    engine.checkChanged(check);
  };
  return { engine, upstream, answer, flip, changed, logs };
}

describe('failover engine', () => {
  it('flattens an ALIAS whose target is another ALIAS in the same zone', async () => {
    const t = await setUp(
      [
        'first: {type: ALIAS, ttl: 300, value: second.example.com.}',
        'second:',
        '  type: ALIAS',
        '  ttl: 120',
        '  failover:',
        '    - {value: eu.example.com., check: one}',
        '    - {value: us.example.com., check: two}',
        'eu: {type: A, ttl: 600, value: 192.0.2.1}',
        'us: {type: A, ttl: 60, value: 192.0.2.2}',
        '',
      ].join('\n'),
    );
    expect(t.answer('first.example.com.', A)).toEqual({
      rcode: 0,
      ede: 0,
      data: ['120 192.0.2.1'],
    });
    t.flip('one', 'down');
    expect(t.answer('second.example.com.', A).data).toEqual(['60 192.0.2.2']);
    expect(t.answer('first.example.com.', A).data).toEqual(['60 192.0.2.2']);
    // Both ALIAS records changed; their ids went to onChange in one call.
    expect(t.changed).toHaveLength(1);
    expect(t.changed[0]).toHaveLength(2);
  });

  it('answers every healthy target of an ALIAS with select: all, and each when_all_down mode', async () => {
    const t = await setUp(
      [
        'all:',
        '  type: ALIAS',
        '  select: all',
        '  failover:',
        '    - {value: eu.example.com., check: one}',
        '    - {value: us.example.com., check: two}',
        'nodata:',
        '  type: ALIAS',
        '  when_all_down: nodata',
        '  failover:',
        '    - {value: eu.example.com., check: one}',
        'servfail:',
        '  type: ALIAS',
        '  when_all_down: servfail',
        '  failover:',
        '    - {value: eu.example.com., check: one}',
        'eu: {type: A, value: 192.0.2.1}',
        'us:',
        '  - {type: A, value: 192.0.2.2}',
        '  - {type: AAAA, value: 2001:db8::2}',
        '',
      ].join('\n'),
    );
    expect(t.answer('all.example.com.', A).data.map((d) => d.split(' ')[1])).toEqual([
      '192.0.2.1',
      '192.0.2.2',
    ]);
    t.flip('one', 'down');
    expect(t.answer('all.example.com.', A).data.map((d) => d.split(' ')[1])).toEqual(['192.0.2.2']);
    expect(t.answer('all.example.com.', AAAA).data.map((d) => d.split(' ')[1])).toEqual([
      '2001:db8::2',
    ]);
    expect(t.answer('nodata.example.com.', A)).toEqual({ rcode: 0, ede: 0, data: [] });
    // EDE index 4: every failover target is down.
    expect(t.answer('servfail.example.com.', A)).toEqual({ rcode: 2, ede: 4, data: [] });
    expect(t.answer('servfail.example.com.', AAAA).rcode).toBe(2);
    expect(t.logs.filter((l) => l.msg === 'answer changed').map((l) => l.record)).toEqual([
      'all.example.com.',
      'nodata.example.com.',
      'servfail.example.com.',
    ]);
  });

  it('tracks every upstream name a failover could lead to, and follows the upstream views', async () => {
    const t = await setUp(
      [
        'apex-like: {type: ALIAS, value: www.example.com.}',
        'www:',
        '  type: CNAME',
        '  failover:',
        '    - {value: eu-lb.example.net., check: one}',
        '    - {value: us-lb.example.net., check: two}',
        '',
      ].join('\n'),
    );
    expect(t.upstream.tracked.sort()).toEqual([
      'eu-lb.example.net. A',
      'eu-lb.example.net. AAAA',
      'us-lb.example.net. A',
      'us-lb.example.net. AAAA',
    ]);
    // Nothing resolved yet: SERVFAIL, EDE index 2 (not resolved yet).
    expect(t.answer('apex-like.example.com.', A)).toMatchObject({ rcode: 2, ede: 2 });

    t.upstream.views.set('eu-lb.example.net. A', {
      kind: 'fresh',
      addresses: ['203.0.113.1'],
      ttlSeconds: 20,
    });
    t.upstream.views.set('us-lb.example.net. A', {
      kind: 'fresh',
      addresses: ['203.0.113.2'],
      ttlSeconds: 20,
    });
    t.engine.upstreamChanged();
    expect(t.answer('apex-like.example.com.', A)).toEqual({
      rcode: 0,
      ede: 0,
      data: ['20 203.0.113.1'],
    });

    t.flip('one', 'down');
    expect(t.answer('apex-like.example.com.', A).data).toEqual(['20 203.0.113.2']);

    t.upstream.views.set('us-lb.example.net. A', {
      kind: 'stale',
      addresses: ['203.0.113.2'],
      reason: 'timeout',
      staleSinceMs: 0,
    });
    t.engine.upstreamChanged();
    // Stale: the last good address with a TTL of 30 s (RFC 8767 §4), EDE index 1.
    expect(t.answer('apex-like.example.com.', A)).toEqual({
      rcode: 0,
      ede: 1,
      data: ['30 203.0.113.2'],
    });

    t.upstream.views.set('us-lb.example.net. A', { kind: 'failed', reason: 'timeout' });
    t.engine.upstreamChanged();
    expect(t.answer('apex-like.example.com.', A)).toMatchObject({ rcode: 2, ede: 3 });
  });

  it('answers SERVFAIL for an ALIAS loop that validation cannot see (through a wildcard)', async () => {
    const t = await setUp(
      [
        'a: {type: ALIAS, value: b.example.com.}',
        "'*': {type: ALIAS, value: a.example.com.}",
        '',
      ].join('\n'),
    );
    expect(t.answer('a.example.com.', A).rcode).toBe(2);
    expect(t.answer('b.example.com.', A).rcode).toBe(2);
  });

  it('logs at most 20 changes per transition and counts the rest in one line', async () => {
    const records = Array.from({ length: 25 }, (_, i) =>
      [
        `r${i}:`,
        '  type: A',
        '  failover:',
        `    - {value: 192.0.2.${i + 1}, check: one}`,
        `    - {value: 198.51.100.${i + 1}}`,
      ].join('\n'),
    );
    const t = await setUp(`${records.join('\n')}\n`);
    t.flip('one', 'down');
    expect(t.logs.filter((l) => l.msg === 'answer changed')).toHaveLength(20);
    expect(t.logs.filter((l) => l.msg === 'answers changed')).toEqual([
      expect.objectContaining({ check: 'one', changed: 25, logged: 20, omitted: 5 }),
    ]);
    expect(t.answer('r24.example.com.', A).data).toEqual(['3600 198.51.100.25']);
    expect(t.changed[0]).toHaveLength(25);
  });

  it('reports each record with its answer, the reason and its targets', async () => {
    const t = await setUp(
      [
        'api:',
        '  type: A',
        '  failover:',
        '    - {value: 192.0.2.10, check: one}',
        '    - {value: 192.0.2.11, check: two}',
        '    - {value: 192.0.2.12}',
        '',
      ].join('\n'),
    );
    t.flip('one', 'down');
    const [status] = t.engine.status();
    expect(status).toMatchObject({
      zone: 'example.com.',
      name: 'api.example.com.',
      type: 'A',
      answer: ['192.0.2.11'],
      active: 1,
      reason: 'one down',
      targets: [
        { value: '192.0.2.10', check: 'one', state: 'down' },
        { value: '192.0.2.11', check: 'two', state: 'up' },
        { value: '192.0.2.12', state: 'up' },
      ],
    });
    expect(t.engine.recordsUsing('two')).toEqual(['api.example.com. A']);
  });
});
