/**
 * The lookup algorithm on hand-built zones, without the loader or the wire:
 * each case names the RFC section it follows.
 */
import { describe, expect, it } from 'vitest';
import {
  ZoneSet,
  lookup,
  type RecordSet,
  type RecordType,
  type RDataByType,
  type ZoneSource,
} from '../../src/zone/index.js';

const at = { file: 'test.yaml', line: 1, col: 1 };

function rrset<T extends RecordType>(
  name: string,
  type: T,
  records: RDataByType[T][],
  ttl = 3600,
): RecordSet {
  return { name, type, ttlSeconds: ttl, records, source: at };
}

const SOA = rrset('example.com.', 'SOA', [
  {
    mname: 'ns1.example.com.',
    rname: 'hostmaster.example.com.',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 604800,
    minimum: 300,
  },
]);

const SOURCE: ZoneSource = {
  origin: 'example.com.',
  file: 'example.com.yaml',
  serialPinned: true,
  contentHash: 'test',
  rrsets: [
    SOA,
    rrset('example.com.', 'NS', [{ target: 'ns1.example.com.' }]),
    rrset('example.com.', 'MX', [{ preference: 10, exchange: 'mail.example.com.' }]),
    rrset('ns1.example.com.', 'A', [{ address: '192.0.2.53' }]),
    rrset('mail.example.com.', 'A', [{ address: '192.0.2.25' }]),
    rrset('www.example.com.', 'CNAME', [{ target: 'web.example.com.' }]),
    rrset('web.example.com.', 'A', [{ address: '192.0.2.80' }]),
    rrset('loop1.example.com.', 'CNAME', [{ target: 'loop2.example.com.' }]),
    rrset('loop2.example.com.', 'CNAME', [{ target: 'loop1.example.com.' }]),
    rrset('a.b.c.example.com.', 'A', [{ address: '192.0.2.7' }]),
    rrset('*.w.example.com.', 'A', [{ address: '192.0.2.42' }], 60),
    rrset('sub.example.com.', 'NS', [{ target: 'ns.sub.example.com.' }]),
    rrset('sub.example.com.', 'DS', [{ keyTag: 1, algorithm: 13, digestType: 2, digest: 'aa' }]),
    rrset('ns.sub.example.com.', 'A', [{ address: '192.0.2.99' }]),
    rrset('alias.example.com.', 'ALIAS', [{ target: 'lb.example.net.' }]),
  ],
};

const zones = new ZoneSet([SOURCE]);
const zone = zones.get('example.com.')!;
const A = 1;
const owners = (entries: { owner: string; rrset: RecordSet }[]) =>
  entries.map((e) => `${e.owner} ${e.rrset.type}`);

describe('zone lookup', () => {
  it('finds the closest enclosing zone on label boundaries (RFC 1034 §4.3.2 step 2)', () => {
    expect(zones.find('www.example.com.')?.origin).toBe('example.com.');
    expect(zones.find('example.com.')?.origin).toBe('example.com.');
    expect(zones.find('badexample.com.')).toBeUndefined();
    expect(zones.find('com.')).toBeUndefined();
  });

  it('answers an exact match with AA and adds MX target addresses', () => {
    const r = lookup(zone, 'example.com.', 15);
    expect(r).toMatchObject({ rcode: 0, authoritative: true });
    expect(owners(r.answer)).toEqual(['example.com. MX']);
    expect(owners(r.optionalAdditional)).toEqual(['mail.example.com. A']);
  });

  it('chases a CNAME inside the zone (RFC 1034 §4.3.2 step 3a)', () => {
    const r = lookup(zone, 'www.example.com.', A);
    expect(owners(r.answer)).toEqual(['www.example.com. CNAME', 'web.example.com. A']);
  });

  it('stops a CNAME loop after each name once', () => {
    const r = lookup(zone, 'loop1.example.com.', A);
    expect(owners(r.answer)).toEqual(['loop1.example.com. CNAME', 'loop2.example.com. CNAME']);
  });

  it('answers NXDOMAIN with the SOA at TTL min(SOA TTL, minimum) (RFC 2308 §3)', () => {
    const r = lookup(zone, 'nothere.example.com.', A);
    expect(r.rcode).toBe(3);
    expect(r.authority).toEqual([{ owner: 'example.com.', rrset: SOA, ttlSeconds: 300 }]);
  });

  it('answers NODATA at an empty non-terminal', () => {
    const r = lookup(zone, 'b.c.example.com.', A);
    expect(r.rcode).toBe(0);
    expect(r.answer).toEqual([]);
    expect(owners(r.authority)).toEqual(['example.com. SOA']);
  });

  it('synthesises from a wildcard with the query name as owner (RFC 4592 §3.3)', () => {
    const r = lookup(zone, 'x.y.w.example.com.', A);
    expect(owners(r.answer)).toEqual(['x.y.w.example.com. A']);
    expect(r.answer[0]!.rrset.ttlSeconds).toBe(60);
  });

  it('does not synthesise below an existing name (RFC 4592 §2.2.2)', () => {
    expect(lookup(zone, 'x.a.b.c.example.com.', A).rcode).toBe(3);
  });

  it('refers below a cut with AA clear and glue (RFC 9471)', () => {
    const r = lookup(zone, 'host.sub.example.com.', A);
    expect(r).toMatchObject({ rcode: 0, authoritative: false, answer: [] });
    expect(owners(r.authority)).toEqual(['sub.example.com. NS']);
    expect(owners(r.requiredAdditional)).toEqual(['ns.sub.example.com. A']);
  });

  it('answers DS at the cut from the parent side (RFC 4035 §3.1.4.1)', () => {
    const r = lookup(zone, 'sub.example.com.', 43);
    expect(r.authoritative).toBe(true);
    expect(owners(r.answer)).toEqual(['sub.example.com. DS']);
  });

  it('answers ANY with a single RRset (RFC 8482 §4.2)', () => {
    expect(owners(lookup(zone, 'example.com.', 255).answer)).toEqual(['example.com. NS']);
  });

  it('answers SERVFAIL at an ALIAS until the failover engine flattens it', () => {
    const r = lookup(zone, 'alias.example.com.', A);
    // EDE index 2: not resolved yet; the result names the record it read.
    expect(r).toMatchObject({ rcode: 2, answer: [], ede: 2 });
    expect(r.dependsOn).toHaveLength(1);
    expect(lookup(zone, 'alias.example.com.', 16).rcode).not.toBe(2);
  });
});

describe('zone set generations', () => {
  it('keeps the compiled zone of an unchanged source and rebuilds a changed one', () => {
    const other: ZoneSource = {
      ...SOURCE,
      origin: 'example.net.',
      rrsets: SOURCE.rrsets.map((r) => ({
        ...r,
        name: r.name.replace('example.com.', 'example.net.'),
      })),
    };
    const first = new ZoneSet([SOURCE, other]);
    const changed: ZoneSource = { ...other, contentHash: 'changed' };
    const next = new ZoneSet([SOURCE, changed], first);
    expect(next.get('example.com.')).toBe(first.get('example.com.'));
    expect(next.get('example.net.')).not.toBe(first.get('example.net.'));
    expect(next.get('example.net.')!.source).toBe(changed);
  });
});
