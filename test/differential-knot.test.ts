/**
 * The same zone served by vigil and by Knot DNS must give the same rcode,
 * flags and sections for every question below. The zone is written twice by
 * hand (test/fixtures/differential), so a loader bug cannot hide by
 * feeding both servers the same mistake.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, normaliseForCompare, type DigOptions } from './support/dig.js';
import { startKnot, type ReferenceServer } from './support/knot.js';
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

describe('vigil and Knot DNS answer one zone alike', () => {
  let knot: ReferenceServer;
  let vigil: VigilUnderTest;

  beforeAll(async () => {
    const zoneText = await readFile(new URL('example.com.zone', FIXTURES), 'utf8');
    const zoneYaml = await readFile(new URL('example.com.yaml', FIXTURES), 'utf8');
    knot = await startKnot({ origin: 'example.com.', zoneText });
    vigil = await startVigil({ 'example.com.yaml': zoneYaml });
  });

  afterAll(async () => {
    await knot?.stop();
    await vigil?.stop();
  });

  it.each(QUESTIONS)('%s %s', async (name, type, options = {}) => {
    const [fromKnot, fromVigil] = await Promise.all([
      dig(knot, name, type, options),
      dig(vigil, name, type, options),
    ]);
    const { raw: _k, ...expected } = normaliseForCompare(fromKnot);
    const { raw: _v, ...actual } = normaliseForCompare(fromVigil);
    expect(actual).toEqual(expected);
  });
});
