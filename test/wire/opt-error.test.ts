/** OPT records (RFC 6891), EDE options (RFC 8914) and error replies, decoded by dns2. */
import dns2 from 'dns2';
import { describe, expect, test } from 'vitest';
import {
  EDE_CODE,
  MessageWriter,
  OPT_DEFAULT,
  OPT_DEFAULT_DO,
  RCODE,
  edeOption,
  encodeError,
  encodeOpt,
  parseQuery,
  writeOpt,
} from '../../src/wire/index.js';
import { header, hex, optBytes, query } from './helpers.js';

const WWW = ['WwW', 'Example', 'com'];

describe('OPT record, RFC 6891 §6.1.2', () => {
  test('the ready constants: root, type 41, 1232 octets, version 0, DO clear or set', () => {
    expect(OPT_DEFAULT).toEqual(hex('00 0029 04d0 00 00 0000 0000'));
    expect(OPT_DEFAULT_DO).toEqual(hex('00 0029 04d0 00 00 8000 0000'));
  });

  test('extended rcode and version sit in the TTL field (§6.1.3)', () => {
    expect(encodeOpt({ udpSize: 4096, extendedRcode: 1, version: 0, dnssecOk: true })).toEqual(
      hex('00 0029 1000 01 00 8000 0000'),
    );
  });

  test('an EDE option (RFC 8914 §2) decodes with dns2', () => {
    const w = new MessageWriter().header(9, 0x8002).question('www.example.com.', 1, 1);
    writeOpt(w, { options: [edeOption(EDE_CODE.NOT_READY, 'zone loading')] });
    const packet = dns2.Packet.parse(w.finish());
    expect(packet.errors).toEqual([]);
    type DecodedOpt = { type: number; class: number; rdata: unknown[] };
    const opt = packet.additionals[0] as unknown as DecodedOpt;
    expect(opt).toMatchObject({ type: 41, class: 1232 });
    expect(opt.rdata).toEqual([{ ednsCode: 15, infoCode: 14, extraText: 'zone loading' }]);
    expect(edeOption(EDE_CODE.NOT_READY, 'zone loading').data).toEqual(
      Buffer.concat([hex('000e'), Buffer.from('zone loading')]),
    );
  });

  test('appending to a finished message raises ARCOUNT', () => {
    const body = new MessageWriter().header(1, 0x8000).question('example.com.', 1, 1).finish();
    const out = writeOpt(body, { dnssecOk: true });
    expect(out.readUInt16BE(10)).toBe(1);
    expect(out.subarray(body.length)).toEqual(OPT_DEFAULT_DO);
  });
});

describe('encodeError', () => {
  test('FORMERR for a question with a pointer: header only, RD and opcode echoed', () => {
    const msg = Buffer.concat([header({ id: 77, flags: 0x0110 }), hex('c00c 0001 0001')]);
    const p = parseQuery(msg);
    if (p.kind !== 'error') throw new Error(`expected an error, got ${p.kind}`);
    const reply = encodeError(p, p.rcode);
    expect(reply).toEqual(hex('004d 8111 0000 0000 0000 0000'));
  });

  test('NOTIMP echoes the question in the client case and OPT with DO', () => {
    const msg = query(WWW, 6, { flags: 0x2900, additional: [optBytes({ dnssecOk: true })] });
    const p = parseQuery(msg);
    if (p.kind !== 'error') throw new Error(`expected an error, got ${p.kind}`);
    const packet = dns2.Packet.parse(encodeError(p, p.rcode));
    expect(packet.header).toMatchObject({ qr: 1, opcode: 5, rd: 1, aa: 0, rcode: RCODE.NOTIMP });
    expect(packet.questions).toEqual([{ name: 'WwW.Example.com', type: 6, class: 1 }]);
    expect(packet.additionals[0]).toMatchObject({ type: 41, class: 1232 });
  });

  test('BADVERS is header rcode 0 plus extended rcode 1 (RFC 6891 §6.1.3)', () => {
    const p = parseQuery(query(WWW, 1, { additional: [optBytes({ version: 1 })] }));
    if (p.kind !== 'error') throw new Error(`expected an error, got ${p.kind}`);
    const reply = encodeError(p, p.rcode);
    expect(reply[3]! & 0x0f).toBe(0);
    expect(reply.subarray(reply.length - 11)).toEqual(hex('00 0029 04d0 01 00 0000 0000'));
    expect(dns2.Packet.parse(reply).header.rcode).toBe(RCODE.BADVERS);
  });

  test('REFUSED for a parsed query, with and without EDNS', () => {
    const p = parseQuery(query(WWW, 1, { id: 5 }));
    if (p.kind !== 'query') throw new Error(`expected a query, got ${p.kind}`);
    const reply = encodeError(p, RCODE.REFUSED);
    expect(dns2.Packet.parse(reply)).toMatchObject({
      header: { id: 5, qr: 1, rcode: RCODE.REFUSED, qdcount: 1, arcount: 0 },
      questions: [{ name: 'WwW.Example.com' }],
    });
    const edns = { udpSize: 1232, version: 0, dnssecOk: false, options: Buffer.alloc(0) };
    const withEdns = encodeError(p, RCODE.REFUSED, edns);
    expect(withEdns.readUInt16BE(10)).toBe(1);
  });

  test('an rcode above 15 without EDNS is sent as SERVFAIL', () => {
    const reply = encodeError({ id: 1, flags: 0 }, RCODE.BADVERS, null);
    expect(reply.readUInt16BE(2) & 0x0f).toBe(RCODE.SERVFAIL);
  });
});
