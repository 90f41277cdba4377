/**
 * Every rdata encoder against an independent reference: dns2's decoder for
 * the types it knows, and the wire bytes printed in the defining RFCs (or
 * computed by hand from their format sections) for the others. dig decodes
 * every type again in dig-decode.test.ts.
 */
import dns2 from 'dns2';
import { describe, expect, test } from 'vitest';
import type { RDataByType } from '../../src/zone/types.js';
import {
  CLASS,
  MessageWriter,
  WireEncodeError,
  type WireRecordType,
} from '../../src/wire/index.js';
import { hex, wireName } from './helpers.js';

const OWNER = 'rr.test.';

/** A message holding one answer at OWNER, and that answer's rdata octets. */
function encodeOne<T extends WireRecordType>(type: T, rdata: RDataByType[T]) {
  const msg = new MessageWriter()
    .header(7, 0x8400)
    .record(OWNER, type, CLASS.IN, 300, rdata)
    .finish();
  const rdataAt = 12 + wireName(['rr', 'test']).length + 10;
  const rdlength = msg.readUInt16BE(rdataAt - 2);
  return { msg, rdata: msg.subarray(rdataAt, rdataAt + rdlength) };
}

/** The single answer of `msg` as dns2 decodes it. */
function dns2Answer(msg: Buffer): Record<string, unknown> {
  const packet = dns2.Packet.parse(msg);
  expect(packet.errors).toEqual([]);
  expect(packet.answers).toHaveLength(1);
  return packet.answers[0] as unknown as Record<string, unknown>;
}

describe('rdata decoded by dns2', () => {
  test('A (RFC 1035 §3.4.1)', () => {
    const { msg, rdata } = encodeOne('A', { address: '192.0.2.33' });
    expect(rdata).toEqual(hex('c0000221'));
    expect(dns2Answer(msg)).toMatchObject({
      name: 'rr.test',
      type: 1,
      ttl: 300,
      address: '192.0.2.33',
    });
  });

  test('AAAA (RFC 3596 §2.2), compressed and IPv4-tailed text forms', () => {
    const { msg, rdata } = encodeOne('AAAA', { address: '2001:db8::1' });
    expect(rdata).toEqual(hex('20010db8000000000000000000000001'));
    expect(dns2Answer(msg)).toMatchObject({ type: 28 });
    expect(dns2Answer(msg).address).toBe('2001:db8::1');
    const tail = encodeOne('AAAA', { address: '2001:db8::192.0.2.1' }).rdata;
    expect(tail).toEqual(hex('20010db8000000000000 0000 c0000201'));
  });

  test.each([
    ['CNAME', 5],
    ['PTR', 12],
  ] as const)('%s (RFC 1035 §3.3) carries one name', (type, code) => {
    const { msg } = encodeOne(type, { target: 'target.example.com.' });
    expect(dns2Answer(msg)).toMatchObject({ type: code, domain: 'target.example.com' });
  });

  test('NS (RFC 1035 §3.3.11)', () => {
    const { msg } = encodeOne('NS', { target: 'ns1.example.net.' });
    expect(dns2Answer(msg)).toMatchObject({ type: 2, ns: 'ns1.example.net' });
  });

  test('MX (RFC 1035 §3.3.9)', () => {
    const { msg, rdata } = encodeOne('MX', { preference: 10, exchange: 'mail.example.com.' });
    expect(rdata.subarray(0, 2)).toEqual(hex('000a'));
    expect(dns2Answer(msg)).toMatchObject({ type: 15, priority: 10, exchange: 'mail.example.com' });
  });

  test('TXT (RFC 1035 §3.3.14) keeps string boundaries and UTF-8', () => {
    const strings = ['v=spf1 -all', '', 'x'.repeat(255), 'café']; // é is 2 octets
    const { msg, rdata } = encodeOne('TXT', { strings });
    expect(rdata.length).toBe(1 + 11 + 1 + 1 + 255 + 1 + 5);
    expect(dns2Answer(msg)).toMatchObject({ type: 16, data: strings });
  });

  test('SPF (type 99) shares the TXT format', () => {
    const { msg } = encodeOne('SPF', { strings: ['v=spf1 -all'] });
    expect(dns2Answer(msg)).toMatchObject({ type: 99, data: ['v=spf1 -all'] });
  });

  test('SRV (RFC 2782)', () => {
    const { msg, rdata } = encodeOne('SRV', {
      priority: 10,
      weight: 60,
      port: 5060,
      target: 'sip.example.com.',
    });
    const target = wireName(['sip', 'example', 'com']);
    expect(rdata).toEqual(Buffer.concat([hex('000a 003c 13c4'), target]));
    expect(dns2Answer(msg)).toMatchObject({
      type: 33,
      priority: 10,
      weight: 60,
      port: 5060,
      target: 'sip.example.com',
    });
  });

  test('CAA (RFC 8659 §4.1): value runs to the end of the rdata', () => {
    const { msg, rdata } = encodeOne('CAA', { flags: 128, tag: 'issue', value: 'ca.example.net' });
    expect(rdata).toEqual(Buffer.concat([hex('80 05'), Buffer.from('issueca.example.net')]));
    expect(dns2Answer(msg)).toMatchObject({
      type: 257,
      flags: 128,
      tag: 'issue',
      value: 'ca.example.net',
    });
  });

  test('SOA (RFC 1035 §3.3.13)', () => {
    const soa = {
      mname: 'ns1.example.com.',
      rname: 'hostmaster.example.com.',
      serial: 2024010101,
      refresh: 7200,
      retry: 3600,
      expire: 1209600,
      minimum: 300,
    };
    const { msg } = encodeOne('SOA', soa);
    expect(dns2Answer(msg)).toMatchObject({
      type: 6,
      primary: 'ns1.example.com',
      admin: 'hostmaster.example.com',
      serial: 2024010101,
      refresh: 7200,
      retry: 3600,
      expiration: 1209600,
      minimum: 300,
    });
  });
});

describe('rdata against RFC example bytes', () => {
  test('DS, RFC 4034 §5.4 example', () => {
    const { rdata } = encodeOne('DS', {
      keyTag: 60485,
      algorithm: 5,
      digestType: 1,
      digest: '2BB183AF5F22588179A53B0A98631FAD1A292118',
    });
    expect(rdata).toEqual(hex('ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118'));
  });

  test('SSHFP, RFC 4255 §3.3 example', () => {
    const { rdata } = encodeOne('SSHFP', {
      algorithm: 2,
      fingerprintType: 1,
      fingerprint: '123456789abcdef67890123456789abcdef67890',
    });
    expect(rdata).toEqual(hex('02 01 123456789abcdef67890123456789abcdef67890'));
  });

  test('TLSA, RFC 6698 §2.3 example', () => {
    const data = 'd2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971';
    const { rdata } = encodeOne('TLSA', { usage: 0, selector: 0, matchingType: 1, data });
    expect(rdata).toEqual(hex(`00 00 01 ${data}`));
  });

  test('NAPTR, RFC 3403 §6 examples; replacement never compressed (§4.1)', () => {
    const regexp = '!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i';
    const { rdata } = encodeOne('NAPTR', {
      order: 100,
      preference: 10,
      flags: '',
      service: '',
      regexp,
      replacement: '.',
    });
    expect(rdata).toEqual(
      Buffer.concat([
        hex('0064 000a 00 00'),
        Buffer.from([regexp.length]),
        Buffer.from(regexp),
        hex('00'),
      ]),
    );
    // The replacement shares "test." with the owner, yet is written whole.
    const second = encodeOne('NAPTR', {
      order: 100,
      preference: 50,
      flags: 'a',
      service: 'z3950+N2L+N2C',
      regexp: '',
      replacement: 'cidserver.rr.test.',
    }).rdata;
    expect(second.subarray(second.length - 19)).toEqual(wireName(['cidserver', 'rr', 'test']));
  });

  // RFC 9460 Appendix D test vectors (target, then params in wire order).
  const FOO_COM = '03666f6f076578616d706c6503636f6d00';
  test.each([
    ['D.1 AliasMode', { priority: 0, target: 'foo.example.com.', params: [] }, `0000 ${FOO_COM}`],
    ['D.2 use the owner name', { priority: 1, target: '.', params: [] }, '0001 00'],
    [
      'D.2 port only',
      {
        priority: 16,
        target: 'foo.example.com.',
        params: [{ key: 'port', values: ['53'] }],
      },
      `0010 ${FOO_COM} 0003 0002 0035`,
    ],
    [
      'D.2 unregistered key',
      {
        priority: 1,
        target: 'foo.example.com.',
        params: [{ key: 'key667', values: ['hello'] }],
      },
      `0001 ${FOO_COM} 029b 0005 68656c6c6f`,
    ],
    [
      'D.2 two IPv6 hints',
      {
        priority: 1,
        target: 'foo.example.com.',
        params: [{ key: 'ipv6hint', values: ['2001:db8::1', '2001:db8::53:1'] }],
      },
      `0001 ${FOO_COM} 0006 0020 20010db8000000000000000000000001` +
        ' 20010db8000000000000000000530001',
    ],
    [
      'D.2 IPv4-mapped IPv6 hint',
      {
        priority: 1,
        target: 'example.com.',
        params: [{ key: 'ipv6hint', values: ['2001:db8:ffff:ffff:ffff:ffff:198.51.100.100'] }],
      },
      '0001 076578616d706c6503636f6d00 0006 0010 20010db8ffffffffffffffffc6336464',
    ],
    [
      'D.2 unsorted keys and mandatory list are sorted on the wire',
      {
        priority: 16,
        target: 'foo.example.org.',
        params: [
          { key: 'alpn', values: ['h2', 'h3-19'] },
          { key: 'mandatory', values: ['ipv4hint', 'alpn'] },
          { key: 'ipv4hint', values: ['192.0.2.1'] },
        ],
      },
      '0010 03666f6f076578616d706c65036f726700 0000 0004 0001 0004' +
        ' 0001 0009 02 6832 05 68332d3139 0004 0004 c0000201',
    ],
    [
      'D.2 alpn ids holding a backslash and a comma',
      {
        priority: 16,
        target: 'foo.example.org.',
        params: [{ key: 'alpn', values: ['f\\oo,bar', 'h2'] }],
      },
      '0010 03666f6f076578616d706c65036f726700 0001 000c 08 665c6f6f2c626172 02 6832',
    ],
  ])('SVCB, RFC 9460 %s', (_label, svcb, expected) => {
    expect(encodeOne('SVCB', svcb).rdata).toEqual(hex(expected));
    expect(encodeOne('HTTPS', svcb).rdata).toEqual(hex(expected));
  });

  test('SVCB no-default-alpn is empty and ech is base64-decoded (RFC 9460 §7.1, §7.3)', () => {
    const { rdata } = encodeOne('HTTPS', {
      priority: 1,
      target: '.',
      params: [
        { key: 'ech', values: ['AAECAw=='] },
        { key: 'no-default-alpn', values: [] },
        { key: 'alpn', values: ['h3'] },
      ],
    });
    expect(rdata).toEqual(hex('0001 00 0001 0003 026833 0002 0000 0005 0004 00010203'));
  });
});

describe('rdata the model should never hold is refused', () => {
  test.each([
    ['A', { address: '192.0.2.256' }],
    ['AAAA', { address: '2001:db8::g' }],
    ['MX', { preference: 70000, exchange: 'mx.example.com.' }],
    ['CNAME', { target: 'relative.example.com' }],
    ['CNAME', { target: `${'a'.repeat(64)}.example.com.` }],
    ['TXT', { strings: ['x'.repeat(256)] }],
    ['CAA', { flags: 0, tag: 'bad-tag', value: '' }],
    ['DS', { keyTag: 1, algorithm: 8, digestType: 2, digest: 'abc' }],
    [
      'SVCB',
      {
        priority: 1,
        target: '.',
        params: [
          { key: 'port', values: ['1'] },
          { key: 'port', values: ['2'] },
        ],
      },
    ],
    ['SVCB', { priority: 1, target: '.', params: [{ key: 'mandatory', values: ['mandatory'] }] }],
    ['SVCB', { priority: 1, target: '.', params: [{ key: 'key65535', values: [] }] }],
    ['SVCB', { priority: 1, target: '.', params: [{ key: 'ech', values: ['not base64!'] }] }],
  ] as const)('%s %j', (type, rdata) => {
    expect(() => encodeOne(type as WireRecordType, rdata as never)).toThrow(WireEncodeError);
  });

  test('a name over 255 octets', () => {
    const long = `${Array.from({ length: 5 }, () => 'a'.repeat(63)).join('.')}.`;
    expect(() => encodeOne('NS', { target: long })).toThrow(/max 255/);
  });
});
