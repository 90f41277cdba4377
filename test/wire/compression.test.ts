/**
 * Name compression (RFC 1035 §4.1.4): which names compress, where pointers
 * may point, and that dns2 reads the compressed names back.
 */
import dns2 from 'dns2';
import { describe, expect, test } from 'vitest';
import { CLASS, MessageWriter, QTYPE } from '../../src/wire/index.js';
import { wireName } from './helpers.js';

/** Every compression pointer in the names of `msg`, found by walking it record by record. */
function pointers(msg: Buffer): { at: number; to: number }[] {
  const found: { at: number; to: number }[] = [];
  const skipName = (pos: number): number => {
    for (;;) {
      const len = msg[pos]!;
      if (len === 0) return pos + 1;
      if (len >= 0xc0) {
        found.push({ at: pos, to: msg.readUInt16BE(pos) & 0x3fff });
        return pos + 2;
      }
      pos += len + 1;
    }
  };
  let pos = 12;
  for (let i = 0; i < msg.readUInt16BE(4); i++) pos = skipName(pos) + 4;
  const records = msg.readUInt16BE(6) + msg.readUInt16BE(8) + msg.readUInt16BE(10);
  for (let i = 0; i < records; i++) {
    pos = skipName(pos);
    const type = msg.readUInt16BE(pos);
    const rdlength = msg.readUInt16BE(pos + 8);
    const rdata = pos + 10;
    if (type === 2 || type === 5 || type === 12) skipName(rdata);
    if (type === 15) skipName(rdata + 2);
    if (type === 6) skipName(skipName(rdata));
    pos = rdata + rdlength;
  }
  return found;
}

describe('name compression, RFC 1035 §4.1.4', () => {
  /** A referral-shaped message: three NS in the authority section, their glue. */
  function delegation(): Buffer {
    const w = new MessageWriter().header(1, 0x8000).question('www.sub.example.com.', QTYPE.ANY, 1);
    w.section('authority');
    for (const ns of ['ns1', 'ns2', 'ns3']) {
      w.record('sub.example.com.', 'NS', CLASS.IN, 3600, { target: `${ns}.sub.example.com.` });
    }
    w.section('additional');
    for (const [i, ns] of ['ns1', 'ns2', 'ns3'].entries()) {
      w.record(`${ns}.sub.example.com.`, 'A', CLASS.IN, 3600, { address: `192.0.2.${i + 1}` });
    }
    return w.finish();
  }

  test('repeated names shrink the message and every pointer goes backwards', () => {
    const msg = delegation();
    // Uncompressed: header, question, 3 x (owner, fixed, target), 3 x (owner, fixed, address).
    expect(12 + 21 + 4 + 3 * (17 + 10 + 21) + 3 * (21 + 10 + 4)).toBe(286);
    // Compressed: each NS owner is a pointer and its target "nsN" plus a pointer;
    // each glue owner is a pointer to its NS target.
    expect(msg.length).toBe(12 + 21 + 4 + 3 * (2 + 10 + 6) + 3 * (2 + 10 + 4));
    const ptrs = pointers(msg);
    expect(ptrs.length).toBe(9);
    for (const p of ptrs) {
      expect(p.to).toBeLessThan(p.at);
      expect(p.to).toBeGreaterThanOrEqual(12);
      expect(msg[p.to]! & 0xc0).toBe(0); // a pointer lands on a label, never on a pointer
    }
  });

  test('dns2 decodes the compressed names', () => {
    const packet = dns2.Packet.parse(delegation());
    expect(packet.errors).toEqual([]);
    expect(packet.questions[0]!.name).toBe('www.sub.example.com');
    expect(packet.authorities.map((r) => [r.name, (r as { ns?: string }).ns])).toEqual([
      ['sub.example.com', 'ns1.sub.example.com'],
      ['sub.example.com', 'ns2.sub.example.com'],
      ['sub.example.com', 'ns3.sub.example.com'],
    ]);
    expect(packet.additionals.map((r) => r.name)).toEqual([
      'ns1.sub.example.com',
      'ns2.sub.example.com',
      'ns3.sub.example.com',
    ]);
  });

  test('suffixes match without regard to ASCII case (RFC 4343 §3)', () => {
    const msg = new MessageWriter()
      .question('www.example.com.', 1, 1)
      .record('WWW.EXAMPLE.COM.', 'A', CLASS.IN, 60, { address: '192.0.2.1' })
      .finish();
    expect(msg.subarray(12 + 17 + 4, 12 + 17 + 6)).toEqual(Buffer.from([0xc0, 12]));
  });

  test('names in SRV and SVCB rdata are neither compressed nor targets (RFC 3597 §4)', () => {
    const w = new MessageWriter().question('_sip._udp.example.com.', 33, 1);
    w.record('_sip._udp.example.com.', 'SRV', CLASS.IN, 60, {
      priority: 1,
      weight: 1,
      port: 5060,
      target: 'sip.example.com.',
    });
    const https = { priority: 1, target: 'sip.example.com.', params: [] };
    w.record('example.com.', 'HTTPS', CLASS.IN, 60, https);
    w.record('x.example.com.', 'CNAME', CLASS.IN, 60, { target: 'sip.example.com.' });
    const msg = w.finish();
    const sip = wireName(['sip', 'example', 'com']);
    expect(msg.indexOf(sip)).toBeGreaterThan(0);
    expect(msg.indexOf(sip, msg.indexOf(sip) + 1)).toBeGreaterThan(0);
    // The CNAME target points at the question's example.com, not into the SRV.
    const cnameTarget = msg.subarray(msg.length - 6);
    expect(cnameTarget.subarray(0, 4)).toEqual(Buffer.from([3, 0x73, 0x69, 0x70]));
    expect(cnameTarget.readUInt16BE(4) & 0x3fff).toBeLessThan(12 + 23);
  });

  test('nothing beyond offset 0x3fff becomes a pointer target', () => {
    const w = new MessageWriter().question('big.example.com.', 16, 1);
    // Push the next owner past 16 KiB with a TXT record of 70 strings of 255 octets.
    w.record('big.example.com.', 'TXT', CLASS.IN, 60, { strings: Array(70).fill('x'.repeat(255)) });
    w.record('late.test.', 'A', CLASS.IN, 60, { address: '192.0.2.9' });
    expect(w.length).toBeGreaterThan(0x4000);
    w.record('late.test.', 'A', CLASS.IN, 60, { address: '192.0.2.10' });
    const msg = w.finish();
    const late = wireName(['late', 'test']);
    const first = msg.indexOf(late);
    expect(first).toBeGreaterThan(0x3fff);
    expect(msg.indexOf(late, first + 1)).toBeGreaterThan(first);
    for (const p of pointers(msg)) expect(p.to).toBeLessThanOrEqual(0x3fff);
    expect(dns2.Packet.parse(msg).answers.map((r) => r.name)).toEqual([
      'big.example.com',
      'late.test',
      'late.test',
    ]);
  });

  test('a question copied from the query is a target in the client case', () => {
    const name = wireName(['WwW', 'Example', 'COM']);
    const query = Buffer.concat([Buffer.alloc(12), name, Buffer.from([0, 1, 0, 1])]);
    const msg = new MessageWriter()
      .questionBytes(query, 12, query.length)
      .record('www.example.com.', 'A', CLASS.IN, 60, { address: '192.0.2.1' })
      .finish();
    expect(msg.length).toBe(12 + 17 + 4 + 2 + 10 + 4);
    expect(dns2.Packet.parse(msg).answers[0]!.name).toBe('WwW.Example.COM');
  });
});
