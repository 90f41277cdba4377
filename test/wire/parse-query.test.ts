/** parseQuery on well-formed and malformed requests, built by hand (helpers.ts). */
import { describe, expect, test } from 'vitest';
import { RCODE, parseQuery, type ParsedQuery } from '../../src/wire/index.js';
import { header, hex, optBytes, query, wireName } from './helpers.js';

const WWW = ['www', 'example', 'com'];
const QUESTION_TAIL = hex('00010001');

/** kind, rcode and reason of a result, for compact expectations. */
function verdict(p: ParsedQuery): string {
  if (p.kind === 'drop') return `drop ${p.reason}`;
  if (p.kind === 'query') return 'query';
  return `error ${p.rcode} ${p.reason}`;
}

describe('parseQuery accepts standard queries', () => {
  test('fields of a plain query', () => {
    const msg = query(WWW, 28, { id: 0xbeef, flags: 0x0110 });
    expect(parseQuery(msg)).toEqual({
      kind: 'query',
      id: 0xbeef,
      flags: 0x0110,
      qname: 'www.example.com.',
      qnameEnd: 29,
      qtype: 28,
      qclass: 1,
      edns: null,
      msg,
    });
  });

  test('the root name is "."', () => {
    expect(parseQuery(query([], 2))).toMatchObject({ kind: 'query', qname: '.', qnameEnd: 13 });
  });

  test('QNAME is lowercased; dots, backslashes and unprintables are \\DDD (RFC 1035 §5.1)', () => {
    const labels = ['A.b', 'c\\d', Uint8Array.from([0x20, 0x00, 0xff, 0x7f]), 'Test'];
    expect(parseQuery(query(labels))).toMatchObject({
      qname: 'a\\046b.c\\092d.\\032\\000\\255\\127.test.',
    });
    // Distinct wire names never share a key.
    expect(parseQuery(query(['a.b', 'test']))).toMatchObject({ qname: 'a\\046b.test.' });
    expect(parseQuery(query(['a', 'b', 'test']))).toMatchObject({ qname: 'a.b.test.' });
  });

  test('EDNS fields (RFC 6891 §6.1.2, §6.1.3) and the 512-octet floor (§6.2.5)', () => {
    const cookie = hex('000a 0008 0102030405060708');
    const opt = optBytes({ udp: 1400, dnssecOk: true, rdata: cookie });
    const p = parseQuery(query(WWW, 1, { additional: [opt] }));
    expect(p).toMatchObject({ kind: 'query', edns: { udpSize: 1400, version: 0, dnssecOk: true } });
    expect(p.kind === 'query' && p.edns?.options).toEqual(cookie);
    const small = parseQuery(query(WWW, 1, { additional: [optBytes({ udp: 100 })] }));
    expect(small).toMatchObject({ edns: { udpSize: 512, dnssecOk: false } });
  });

  test('other additional records, such as TSIG, are skipped', () => {
    const tsigFixed = hex('00fa 00ff 00000000 0003 010203');
    const tsig = Buffer.concat([wireName(['key', 'test']), tsigFixed]);
    const p = parseQuery(query(WWW, 1, { additional: [tsig, optBytes()] }));
    expect(p).toMatchObject({ kind: 'query', edns: { udpSize: 4096 } });
  });

  test('an IXFR request may carry one SOA in the authority section (RFC 1995 §3)', () => {
    // Owner: pointer to the QNAME; rdata: two root names and five zero fields.
    const soa = Buffer.concat([hex('c00c 0006 0001 00000e10 0016 00 00'), Buffer.alloc(20)]);
    const msg = Buffer.concat([header({ ns: 1 }), wireName(WWW), hex('00fb 0001'), soa]);
    expect(parseQuery(msg)).toMatchObject({ kind: 'query', qtype: 251 });
  });
});

describe('parseQuery refuses malformed requests', () => {
  const label64 = 'a'.repeat(64);
  const long = Array.from({ length: 4 }, () => 'b'.repeat(63)); // 4 x 64 + 1 = 257 octets
  const edge = [...Array.from({ length: 3 }, () => 'b'.repeat(63)), 'c'.repeat(61)]; // 255 octets
  const tail = (labels: string[]) => Buffer.concat([header({}), wireName(labels), QUESTION_TAIL]);

  const F = RCODE.FORMERR;
  /** A header with the given counts followed by raw parts. */
  const msgOf = (counts: Parameters<typeof header>[0], ...parts: Buffer[]) =>
    Buffer.concat([header(counts), ...parts]);
  const www = () => Buffer.concat([wireName(WWW), QUESTION_TAIL]);
  const withOpt = (...opts: Buffer[]) => query(WWW, 1, { additional: opts });
  const rootless = Buffer.concat([hex('c00c'), optBytes().subarray(1)]);

  test.each<[string, Buffer, string]>([
    ['empty message', Buffer.alloc(0), 'drop short'],
    ['11-octet header', header({}).subarray(0, 11), 'drop short'],
    ['QR set: a response', query(WWW, 1, { flags: 0x8100 }), 'drop response'],
    ['QDCOUNT 0', header({ qd: 0 }), `error ${F} qdcount`],
    ['QDCOUNT 2', msgOf({ qd: 2 }, www(), www()), `error ${F} qdcount`],
    ['QDCOUNT 1 and nothing after the header', header({}), `error ${F} truncated`],
    ['QNAME without its root label', msgOf({}, hex('03777777')), `error ${F} truncated`],
    ['label shorter than its length', msgOf({}, hex('0a7777')), `error ${F} truncated`],
    ['QTYPE and QCLASS cut short', msgOf({}, wireName(WWW), hex('0001')), `error ${F} truncated`],
    ['label of 64 octets', tail([label64, 'test']), `error ${F} label-type`],
    ['label type 10', msgOf({}, hex('8001610000010001')), `error ${F} label-type`],
    ['name of 257 octets', tail(long), `error ${F} name-length`],
    ['compression pointer in the question', msgOf({}, hex('c00c 0001 0001')), `error ${F} pointer`],
    [
      'pointer loop in the question',
      msgOf({}, hex('03777777c00c 0001 0001')),
      `error ${F} pointer`,
    ],
    ['ANCOUNT 1', msgOf({ an: 1 }, www()), `error ${F} counts`],
    ['NSCOUNT 1', msgOf({ ns: 1 }, www()), `error ${F} counts`],
    ['huge counts', msgOf({ an: 0xffff, ns: 0xffff, ar: 0xffff }, www()), `error ${F} counts`],
    ['huge ARCOUNT', msgOf({ ar: 0xffff }, www(), optBytes()), `error ${F} record-truncated`],
    [
      'OPT cut short',
      msgOf({ ar: 1 }, www(), optBytes().subarray(0, 9)),
      `error ${F} record-truncated`,
    ],
    ['two OPT records (RFC 6891 §6.1.1)', withOpt(optBytes(), optBytes()), `error ${F} two-opt`],
    ['OPT not owned by the root', withOpt(rootless), `error ${F} opt-owner`],
    [
      'OPT option overrunning its rdata',
      withOpt(optBytes({ rdata: hex('000a 0009 01') })),
      `error ${F} opt-options`,
    ],
    ['opcode 2 (STATUS)', query(WWW, 1, { flags: 0x1000 }), `error ${RCODE.NOTIMP} opcode`],
    ['opcode 5 (UPDATE)', query(WWW, 6, { flags: 0x2800 }), `error ${RCODE.NOTIMP} opcode`],
    [
      'EDNS version 1 (RFC 6891 §6.1.3)',
      withOpt(optBytes({ version: 1 })),
      `error ${RCODE.BADVERS} edns-version`,
    ],
  ])('%s', (_name, msg, expected) => {
    expect(verdict(parseQuery(msg))).toBe(expected);
  });

  test('a name of exactly 255 octets is accepted', () => {
    expect(wireName(edge).length).toBe(255);
    expect(parseQuery(tail(edge)).kind).toBe('query');
  });

  test('errors carry the question and EDNS when they parsed', () => {
    const notify = { flags: 0x2000, additional: [optBytes({ dnssecOk: true })] };
    const p = parseQuery(query(WWW, 16, notify));
    expect(p).toMatchObject({
      kind: 'error',
      rcode: RCODE.NOTIMP,
      opcode: 4,
      question: { qname: 'www.example.com.', qnameEnd: 29, qtype: 16, qclass: 1 },
      edns: { dnssecOk: true, version: 0 },
    });
    const badvers = parseQuery(query(WWW, 1, { additional: [optBytes({ version: 2 })] }));
    expect(badvers).toMatchObject({
      rcode: 16,
      question: { qname: 'www.example.com.' },
      edns: { version: 2 },
    });
  });

  test('errors about the question or the OPT carry neither', () => {
    const p = parseQuery(Buffer.concat([header({}), hex('c00c 0001 0001')]));
    expect(p.kind === 'error' && p.question === undefined && p.edns === undefined).toBe(true);
    const two = parseQuery(query(WWW, 1, { additional: [optBytes(), optBytes()] }));
    expect(two).toMatchObject({ question: { qname: 'www.example.com.' } });
    expect(two.kind === 'error' && two.edns === undefined).toBe(true);
  });
});
