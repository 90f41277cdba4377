/**
 * Proves the reference-server harness works on this machine: Knot (and NSD)
 * start from zone text, dig reaches them, and its output parses into the
 * shape the differential tests compare.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, normaliseForCompare, parseDigOutput } from './support/dig.js';
import { startKnot, startNsd, type ReferenceServer } from './support/knot.js';
import { formatZoneText } from './support/zone-text.js';

const ZONE_TEXT = formatZoneText('example.com', [
  { name: '@', type: 'SOA', data: 'ns1 hostmaster 2024010101 7200 3600 1209600 300' },
  { name: '@', type: 'NS', data: 'ns1' },
  { name: 'ns1', type: 'A', data: '192.0.2.53' },
  { name: 'www', ttl: 300, type: 'A', data: '192.0.2.10' },
  { name: 'www', ttl: 300, type: 'AAAA', data: '2001:db8::10' },
  { name: 'alias', type: 'CNAME', data: 'www' },
  { name: 'note', type: 'TXT', data: '"two  spaces" "Mixed Case"' },
]);

describe('Knot reference server', () => {
  let knot: ReferenceServer;
  beforeAll(async () => {
    knot = await startKnot({ origin: 'example.com', zoneText: ZONE_TEXT });
  });
  afterAll(() => knot?.stop());

  it('answers an A query authoritatively and dig output parses', async () => {
    const res = await dig(knot, 'www.example.com', 'A');
    expect(res.rcode).toBe('NOERROR');
    expect(res.flags).toEqual(expect.arrayContaining(['qr', 'aa']));
    expect(res.answer).toEqual([
      { name: 'www.example.com.', ttl: 300, class: 'IN', type: 'A', data: '192.0.2.10' },
    ]);
    expect(res.edns).toMatchObject({ version: 0, flags: [] });
    expect(res.additional.some((rr) => rr.type === 'OPT')).toBe(false);
  });

  it('follows a CNAME in-zone (RFC 1034 §4.3.2 step 3a)', async () => {
    const res = await dig(knot, 'ALIAS.example.com', 'A');
    expect(res.answer.map((rr) => `${rr.type} ${rr.data}`)).toEqual([
      'CNAME www.example.com.',
      'A 192.0.2.10',
    ]);
  });

  it('returns NXDOMAIN with the SOA in authority (RFC 2308 §3)', async () => {
    const res = await dig(knot, 'missing.example.com', 'A', { bufsize: false });
    expect(res.rcode).toBe('NXDOMAIN');
    expect(res.edns).toBeNull();
    expect(res.authority.map((rr) => rr.type)).toEqual(['SOA']);
    expect(res.authority[0]!.data).toBe(
      'ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300',
    );
  });

  it('answers over TCP with the DO bit echoed', async () => {
    const res = await dig(knot, 'www.example.com', 'AAAA', { tcp: true, dnssec: true });
    expect(res.answer.map((rr) => rr.data)).toEqual(['2001:db8::10']);
    expect(res.edns?.flags).toContain('do');
  });

  it('keeps spacing inside quoted TXT strings', async () => {
    const res = await dig(knot, 'note.example.com', 'TXT');
    expect(res.answer[0]!.data).toBe('"two  spaces" "Mixed Case"');
  });
});

describe('NSD reference server', () => {
  it('gives the same answer section as Knot once normalised', async () => {
    const knot = await startKnot({ origin: 'example.com', zoneText: ZONE_TEXT });
    const nsd = await startNsd({ origin: 'example.com', zoneText: ZONE_TEXT });
    try {
      const [a, b] = await Promise.all([
        dig(knot, 'alias.example.com', 'AAAA'),
        dig(nsd, 'Alias.Example.COM', 'AAAA'),
      ]);
      expect(normaliseForCompare(b).answer).toEqual(normaliseForCompare(a).answer);
      expect(normaliseForCompare(b).rcode).toBe('NOERROR');
    } finally {
      await Promise.all([knot.stop(), nsd.stop()]);
    }
  });
});

describe('parseDigOutput', () => {
  it('rejects text without a header line', () => {
    expect(() => parseDigOutput(';; no servers could be reached\n')).toThrow(/no header/);
  });
});
