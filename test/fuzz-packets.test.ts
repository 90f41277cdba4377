/**
 * Bad input on the packet path, against the running server: random bytes,
 * mutated queries, compression loops, over-long labels and names, huge
 * counts, and junk TCP frames. The server must never crash, must answer
 * FORMERR where the header can be read (or drop), and must keep answering.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, exchangeTcp, exchangeUdp, frame, header } from './support/raw.js';
import { startVigil, type VigilUnderTest } from './support/vigil.js';

const ZONE = `
'':
  - type: NS
    value: ns1.example.com.
  - type: A
    value: 192.0.2.1
ns1:
  type: A
  value: 192.0.2.53
`;

/** A valid query, then one of several kinds of damage. */
const damagedQuery = fc
  .tuple(
    fc.constantFrom('example.com', 'ns1.example.com', 'nothere.example.com', 'example.org'),
    fc.integer({ min: 0, max: 65535 }),
    fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('count' as const), field: fc.constantFrom(4, 6, 8, 10) }),
      fc.record({ kind: fc.constant('append' as const), junk: fc.uint8Array({ maxLength: 64 }) }),
    ),
  )
  .map(([name, type, damage]) => {
    const msg = buildQuery({ name, type, edns: {} });
    switch (damage.kind) {
      case 'flip':
        msg[damage.at % msg.length]! ^= 1 << damage.bit;
        return msg;
      case 'cut':
        return msg.subarray(0, damage.at % msg.length);
      case 'count':
        msg.writeUInt16BE(0xffff, damage.field);
        return msg;
      case 'append':
        return Buffer.concat([msg, damage.junk]);
    }
  });

/** Questions no encoder would write: loops, long labels, long names. */
function craftedQuestions(): Buffer[] {
  const head = buildQuery({ name: 'example.com' }).subarray(0, 12);
  const loop = Buffer.concat([head, Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
  const forward = Buffer.concat([head, Buffer.from([0xc0, 40, 0, 1, 0, 1])]);
  const longLabel = Buffer.concat([
    head,
    Buffer.from([64]),
    Buffer.alloc(64, 97),
    Buffer.from([0, 0, 1, 0, 1]),
  ]);
  const labels = Array.from({ length: 5 }, () =>
    Buffer.concat([Buffer.from([60]), Buffer.alloc(60, 98)]),
  );
  const longName = Buffer.concat([head, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
  const badLabelType = Buffer.concat([head, Buffer.from([0x40, 0, 0, 1, 0, 1])]);
  return [loop, forward, longLabel, longName, badLabelType];
}

describe('malformed packets', () => {
  let vigil: VigilUnderTest;
  const stillAnswers = async () => {
    const reply = await exchangeUdp(vigil.port, buildQuery({ name: 'example.com' }));
    expect(reply).not.toBeNull();
    expect(header(reply!)).toMatchObject({ rcode: 0, ancount: 1 });
  };

  beforeAll(async () => {
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      { serverYaml: '  tcp_idle_timeout: 1s' },
    );
  });
  afterAll(() => vigil?.stop());

  it('answers crafted questions with FORMERR', async () => {
    for (const msg of craftedQuestions()) {
      const reply = await exchangeUdp(vigil.port, msg);
      expect(reply, msg.toString('hex')).not.toBeNull();
      expect(header(reply!)).toMatchObject({ qr: true, rcode: 1 });
    }
    await stillAnswers();
  });

  it('survives random bytes over UDP, replying only with well-formed headers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        // Loopback replies come back within a few ms; most random headers
        // have QR set or are short and get no reply at all.
        const reply = await exchangeUdp(vigil.port, Buffer.from(bytes), 50);
        if (reply !== null) {
          expect(reply.length).toBeGreaterThanOrEqual(12);
          expect(header(reply).qr).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
    await stillAnswers();
  });

  it('survives damaged queries over UDP', async () => {
    await fc.assert(
      fc.asyncProperty(damagedQuery, async (msg) => {
        const reply = await exchangeUdp(vigil.port, msg, 200);
        if (reply !== null) expect(header(reply).qr).toBe(true);
      }),
      { numRuns: 300 },
    );
    await stillAnswers();
    expect(vigil.server.stats.malformed).toBeGreaterThan(0);
  });

  it('survives junk TCP frames and oversized frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(damagedQuery, { minLength: 1, maxLength: 4 }), async (msgs) => {
        await exchangeTcp(vigil.port, Buffer.concat(msgs.map(frame)), msgs.length, 300);
      }),
      { numRuns: 60 },
    );
    const huge = Buffer.alloc(2 + 65535, 0x41);
    huge.writeUInt16BE(65535, 0);
    const { replies } = await exchangeTcp(vigil.port, huge, 1, 500);
    expect(replies.every((r) => header(r).qr)).toBe(true);
    await stillAnswers();
  });

  it('does not log per malformed packet at info or above', () => {
    const noisy = vigil.logs.filter((l) => l.level !== 'debug' && l.level !== 'trace');
    expect(noisy).toEqual([]);
  });
});
