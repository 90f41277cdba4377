/**
 * The same zone served by vigil, by Knot DNS and by NSD (minimal responses)
 * must give the same rcode, flags and sections for every question below. The zone is written twice by
 * hand (test/fixtures/differential), so a loader bug cannot hide by
 * feeding both servers the same mistake.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, normaliseForCompare, type DigOptions } from './support/dig.js';
import { startKnot, startNsd, type ReferenceServer } from './support/knot.js';
import { startVigil, type VigilUnderTest } from './support/vigil.js';

const FIXTURES = new URL('./fixtures/differential/', import.meta.url);

/** [name, type, dig options]: each is asked of both servers. */
const QUESTIONS: [string, string, DigOptions?][] = [
  ['example.com.', 'SOA'],
  ['example.com.', 'NS'],
  ['example.com.', 'A'],
  ['EXAMPLE.com.', 'AAAA'],
  ['example.com.', 'MX'],
  ['example.com.', 'TXT'],
  ['example.com.', 'CAA'],
  ['example.com.', 'ANY'],
  ['example.com.', 'SRV'],
  ['example.com.', 'DS'],
  ['www.example.com.', 'A'],
  ['www.example.com.', 'AAAA'],
  ['www.example.com.', 'CNAME'],
  ['WwW.ExAmPlE.CoM.', 'A'],
  ['chain1.example.com.', 'A'],
  ['dangling.example.com.', 'A'],
  ['outside.example.com.', 'A'],
  ['nothere.example.com.', 'A'],
  ['mail.example.com.', 'TXT'],
  ['mail.example.com.', 'AAAA'],
  ['b.c.example.com.', 'A'],
  ['c.example.com.', 'TXT'],
  ['x.b.c.example.com.', 'A'],
  ['a.b.c.example.com.', 'A'],
  ['host.wild.example.com.', 'A'],
  ['host.wild.example.com.', 'TXT'],
  ['host.wild.example.com.', 'AAAA'],
  ['deep.host.wild.example.com.', 'A'],
  ['exists.wild.example.com.', 'TXT'],
  ['below.exists.wild.example.com.', 'A'],
  ['*.wild.example.com.', 'A'],
  ['x.cnw.example.com.', 'A'],
  ['_sip._tcp.example.com.', 'SRV'],
  ['sub.example.com.', 'NS'],
  ['sub.example.com.', 'A'],
  ['host.sub.example.com.', 'A'],
  ['ns1.sub.example.com.', 'A'],
  ['secure.example.com.', 'DS'],
  ['host.secure.example.com.', 'AAAA'],
  ['ptr.example.com.', 'PTR'],
  ['ssh.example.com.', 'SSHFP'],
  ['_443._tcp.web.example.com.', 'TLSA'],
  ['sipnaptr.example.com.', 'NAPTR'],
  ['svc.example.com.', 'HTTPS'],
  ['long.example.com.', 'TXT'],
  ['example.org.', 'A'],
  ['www.example.com.', 'A', { tcp: true }],
  ['example.com.', 'MX', { bufsize: false }],
  ['example.com.', 'A', { dnssec: true }],
];

/**
 * Where a reference answers differently by policy, not by error, the parts
 * that differ are left out of the comparison; the rest must still agree.
 * Knot has none. NSD with minimal responses leaves out the addresses of MX
 * and SRV targets, which Knot and vigil add (RFC 1035 §3.3.9, RFC 2782), and
 * answers ANY with its SOA where Knot and vigil give the lowest type code:
 * RFC 8482 §4.2 lets each server choose the one RRset.
 */
type Policy = 'no-additional' | 'any-one-rrset';
const NSD_POLICY = new Map<string, Policy>([
  ['example.com. MX', 'no-additional'],
  ['_sip._tcp.example.com. SRV', 'no-additional'],
  ['example.com. ANY', 'any-one-rrset'],
]);

const REFERENCES = [
  ['Knot DNS', startKnot, new Map<string, Policy>()],
  ['NSD', startNsd, NSD_POLICY],
] as const;

describe.each(REFERENCES)('vigil and %s answer one zone alike', (_name, start, policy) => {
  let reference: ReferenceServer;
  let vigil: VigilUnderTest;

  beforeAll(async () => {
    const zoneText = await readFile(new URL('example.com.zone', FIXTURES), 'utf8');
    const zoneYaml = await readFile(new URL('example.com.yaml', FIXTURES), 'utf8');
    reference = await start({ origin: 'example.com.', zoneText });
    vigil = await startVigil({ 'example.com.yaml': zoneYaml });
  });

  afterAll(async () => {
    await reference?.stop();
    await vigil?.stop();
  });

  it.each(QUESTIONS)('%s %s', async (name, type, options = {}) => {
    const [fromReference, fromVigil] = await Promise.all([
      dig(reference, name, type, options),
      dig(vigil, name, type, options),
    ]);
    const { raw: _r, ...expected } = normaliseForCompare(fromReference);
    const { raw: _v, ...actual } = normaliseForCompare(fromVigil);
    switch (policy.get(`${name} ${type}`)) {
      case 'no-additional':
        expect(expected.additional).toEqual([]);
        expect({ ...actual, additional: [] }).toEqual(expected);
        break;
      case 'any-one-rrset':
        expect(actual.answer).toHaveLength(1);
        expect(expected.answer).toHaveLength(1);
        expect({ ...actual, answer: [] }).toEqual({ ...expected, answer: [] });
        break;
      default:
        expect(actual).toEqual(expected);
    }
  });
});
