/** Properties of parseQuery over generated input (fast-check). */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeName, parseQuery, type ParsedQuery } from '../../src/wire/index.js';
import { header, optBytes, wireName } from './helpers.js';

const KINDS = new Set(['drop', 'error', 'query']);

/** Checks the invariants every result holds, whatever the input. */
function checkShape(msg: Buffer, p: ParsedQuery): void {
  expect(KINDS.has(p.kind)).toBe(true);
  if (p.kind === 'query') {
    expect(p.qnameEnd + 4).toBeLessThanOrEqual(msg.length);
    expect(p.qname.endsWith('.')).toBe(true);
    expect(p.qname).not.toMatch(/[A-Z]/);
  }
}

/** A label: 1 to 63 arbitrary octets, biased towards dots, spaces, backslashes and letters. */
const label = fc
  .uint8Array({ minLength: 1, maxLength: 63 })
  .chain((raw) =>
    fc
      .constantFrom(0, 1, 2)
      .map((mode) =>
        mode === 0 ? raw : Uint8Array.from(raw, (b) => [0x2e, 0x20, 0x5c, 0x41, 0x7a, b][b % 6]!),
      ),
  );

/** A list of labels whose wire form fits in 255 octets. */
const labels = fc
  .array(label, { maxLength: 8 })
  .filter((ls) => ls.reduce((n, l) => n + l.length + 1, 1) <= 255);

/** The canonical text of one octet, written independently of the code under test. */
function octetText(b: number): string {
  if (b >= 0x41 && b <= 0x5a) return String.fromCharCode(b + 32);
  if (b > 0x20 && b < 0x7f && b !== 0x2e && b !== 0x5c) return String.fromCharCode(b);
  return `\\${b.toString().padStart(3, '0')}`;
}

const validQuery = fc.record({
  labels,
  id: fc.integer({ min: 0, max: 0xffff }),
  rd: fc.boolean(),
  qtype: fc.integer({ min: 0, max: 0xffff }),
  qclass: fc.integer({ min: 0, max: 0xffff }),
  opt: fc.option(fc.record({ udp: fc.integer({ min: 0, max: 0xffff }), dnssecOk: fc.boolean() })),
});

type ValidQuery = typeof validQuery extends fc.Arbitrary<infer T> ? T : never;

/** The bytes of a generated query. */
function build(q: ValidQuery): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(q.qtype, 0);
  tail.writeUInt16BE(q.qclass, 2);
  const ar = q.opt === null ? [] : [optBytes(q.opt)];
  const flags = q.rd ? 0x0100 : 0;
  const head = header({ id: q.id, flags, ar: ar.length });
  return Buffer.concat([head, wireName(q.labels), tail, ...ar]);
}

describe('parseQuery never throws', () => {
  test('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const msg = Buffer.from(bytes);
        checkShape(msg, parseQuery(msg));
      }),
      { numRuns: 5000 },
    );
  });

  test('on arbitrary bytes behind a plausible header', () => {
    const plausible = fc.tuple(
      fc.record({
        qd: fc.constantFrom(0, 1, 1, 1, 2, 0xffff),
        an: fc.constantFrom(0, 0, 1, 0xffff),
        ar: fc.constantFrom(0, 1, 2, 0xffff),
      }),
      fc.uint8Array({ maxLength: 300 }),
    );
    fc.assert(
      fc.property(plausible, ([h, body]) => {
        const msg = Buffer.concat([header({ ...h, flags: 0 }), body]);
        checkShape(msg, parseQuery(msg));
      }),
      { numRuns: 5000 },
    );
  });

  test('on mutations of a valid query: bit flips, truncation, huge counts', () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(),
        bit: fc.integer({ min: 0, max: 7 }),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('count' as const), field: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(
      fc.property(validQuery, fc.array(mutation, { minLength: 1, maxLength: 4 }), (q, ms) => {
        let msg = build(q);
        for (const m of ms) {
          if (m.kind === 'flip') {
            if (msg.length > 0) msg[m.at % msg.length]! ^= 1 << m.bit;
          } else if (m.kind === 'cut') msg = msg.subarray(0, m.at % (msg.length + 1));
          else if (msg.length >= 12) msg.writeUInt16BE(0xffff, 4 + 2 * m.field);
        }
        checkShape(msg, parseQuery(msg));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseQuery reads every valid query', () => {
  test('fields match what was built, and the QNAME key encodes back to the same octets', () => {
    fc.assert(
      fc.property(validQuery, (q) => {
        const msg = build(q);
        const p = parseQuery(msg);
        const qname =
          q.labels.length === 0
            ? '.'
            : q.labels.map((l) => Array.from(l, octetText).join('')).join('.') + '.';
        expect(p).toMatchObject({
          kind: 'query',
          id: q.id,
          flags: q.rd ? 0x0100 : 0,
          qname,
          qtype: q.qtype,
          qclass: q.qclass,
          qnameEnd: 12 + wireName(q.labels).length,
        });
        if (p.kind !== 'query') return;
        expect(p.edns === null).toBe(q.opt === null);
        if (q.opt !== null) expect(p.edns?.udpSize).toBe(Math.max(512, q.opt.udp));
        // Length octets are at most 63, below 'A', so folding every octet is safe.
        const lower = wireName(q.labels).map((b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b));
        expect(encodeName(p.qname).wire).toEqual(lower);
      }),
      { numRuns: 3000 },
    );
  });
});
