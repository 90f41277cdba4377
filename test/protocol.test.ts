/**
 * Protocol behaviour over real sockets: EDNS (RFC 6891), truncation and TCP
 * retry, TCP framing and pipelining (RFC 7766), opcodes, classes and
 * malformed headers. Answers are decoded by dig, dns2 or by hand, never by
 * vigil's own code.
 */
import net from 'node:net';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig } from './support/dig.js';
import { buildQuery, exchangeTcp, exchangeUdp, frame, header } from './support/raw.js';
import { startVigil, type VigilUnderTest } from './support/vigil.js';

const BIG_TXT = Array.from({ length: 12 }, (_, i) => `- "record ${i} ${'x'.repeat(70)}"`);
const ZONE = `
'':
  - type: NS
    values: [ns1.example.com.]
  - type: A
    value: 192.0.2.1
ns1:
  type: A
  value: 192.0.2.53
big:
  type: TXT
  values:
    ${BIG_TXT.join('\n    ')}
many:
  type: NS
  values: [${Array.from({ length: 30 }, (_, i) => `ns${i}.many.example.com.`).join(', ')}]
${Array.from({ length: 30 }, (_, i) => `ns${i}.many:\n  type: AAAA\n  value: 2001:db8::${i + 1}`).join('\n')}
`;

describe('protocol', () => {
  let vigil: VigilUnderTest;

  beforeAll(async () => {
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      { serverYaml: '  tcp_idle_timeout: 1s' },
    );
  });
  afterAll(() => vigil?.stop());

  it('answers with AA and echoes the question case', async () => {
    const reply = await dig(vigil, 'ExAmPlE.CoM.', 'A');
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.flags).toContain('aa');
    expect(reply.answer).toEqual([
      { name: 'ExAmPlE.CoM.', ttl: 3600, class: 'IN', type: 'A', data: '192.0.2.1' },
    ]);
  });

  it('answers dns2 clients over UDP and TCP alike', async () => {
    const udp = dns2.UDPClient({ dns: '127.0.0.1', port: vigil.port });
    const tcp = dns2.TCPClient({ dns: '127.0.0.1', port: vigil.port });
    const [overUdp, overTcp] = await Promise.all([
      udp('ns1.example.com', 'A'),
      tcp('ns1.example.com', 'A'),
    ]);
    for (const reply of [overUdp, overTcp]) {
      expect(reply.header.aa).toBe(1);
      expect(reply.answers.map((a: { address: string }) => a.address)).toEqual(['192.0.2.53']);
    }
  });

  describe('EDNS (RFC 6891)', () => {
    it('advertises 1232 octets and echoes DO', async () => {
      const reply = await dig(vigil, 'example.com.', 'A', { dnssec: true });
      expect(reply.edns).toEqual({ version: 0, udp: 1232, flags: ['do'] });
    });

    it('sends no OPT to a query without one', async () => {
      const reply = await dig(vigil, 'example.com.', 'A', { bufsize: false });
      expect(reply.edns).toBeNull();
    });

    it('answers version 1 with BADVERS (§6.1.3)', async () => {
      const reply = await dig(vigil, 'example.com.', 'A', {
        extra: ['+edns=1', '+noednsnegotiation'],
      });
      expect(reply.rcode).toBe('BADVERS');
      expect(reply.answer).toEqual([]);
    });

    it('ignores unknown options', async () => {
      const reply = await dig(vigil, 'example.com.', 'A', { extra: ['+ednsopt=65001:abcd'] });
      expect(reply.rcode).toBe('NOERROR');
      expect(reply.answer).toHaveLength(1);
    });
  });

  describe('truncation', () => {
    it('sets TC over UDP without EDNS when the answer passes 512 octets', async () => {
      const reply = await dig(vigil, 'big.example.com.', 'TXT', {
        bufsize: false,
        extra: ['+ignore'],
      });
      expect(reply.flags).toContain('tc');
      expect(reply.answer).toEqual([]);
    });

    it('fits the answer within an EDNS size of 1232', async () => {
      const reply = await dig(vigil, 'big.example.com.', 'TXT', { extra: ['+ignore'] });
      expect(reply.flags).not.toContain('tc');
      expect(reply.answer).toHaveLength(12);
    });

    it('gives the whole answer over TCP after TC', async () => {
      const reply = await dig(vigil, 'big.example.com.', 'TXT', { bufsize: 512 });
      expect(reply.flags).not.toContain('tc');
      expect(reply.answer).toHaveLength(12);
    });

    it('truncates a referral whose glue does not fit (RFC 9471 §3)', async () => {
      const reply = await dig(vigil, 'host.many.example.com.', 'A', {
        bufsize: false,
        extra: ['+ignore'],
      });
      expect(reply.flags).toContain('tc');
      const full = await dig(vigil, 'host.many.example.com.', 'A', { tcp: true });
      expect(full.authority).toHaveLength(30);
      expect(full.additional).toHaveLength(30);
    });
  });

  describe('header checks', () => {
    it('answers an opcode other than QUERY with NOTIMP', async () => {
      const reply = await exchangeUdp(
        vigil.port,
        buildQuery({ name: 'example.com', flags: 2 << 11 }),
      );
      expect(header(reply!)).toMatchObject({ qr: true, opcode: 2, rcode: 4 });
    });

    it('answers QDCOUNT 0 with FORMERR', async () => {
      const msg = buildQuery({ name: 'example.com' }).subarray(0, 12);
      msg.writeUInt16BE(0, 4);
      const reply = await exchangeUdp(vigil.port, msg);
      expect(header(reply!)).toMatchObject({ qr: true, rcode: 1, qdcount: 0 });
    });

    it('drops a message with QR set and answers the next query', async () => {
      const response = buildQuery({ name: 'example.com', flags: 0x8100 });
      expect(await exchangeUdp(vigil.port, response, 300)).toBeNull();
      const reply = await exchangeUdp(vigil.port, buildQuery({ name: 'example.com' }));
      expect(header(reply!)).toMatchObject({ rcode: 0, ancount: 1 });
    });

    it('refuses names outside its zones without AA', async () => {
      const reply = await dig(vigil, 'www.example.org.', 'A');
      expect(reply.rcode).toBe('REFUSED');
      expect(reply.flags).not.toContain('aa');
    });

    it('refuses class CH and answers class ANY as IN, as Knot does', async () => {
      const ch = await exchangeUdp(vigil.port, buildQuery({ name: 'example.com', qclass: 3 }));
      expect(header(ch!).rcode).toBe(5);
      const any = await exchangeUdp(vigil.port, buildQuery({ name: 'example.com', qclass: 255 }));
      expect(header(any!)).toMatchObject({ rcode: 0, ancount: 1 });
    });

    it('refuses AXFR and IXFR', async () => {
      const axfr = await exchangeTcp(
        vigil.port,
        frame(buildQuery({ name: 'example.com', type: 252 })),
        1,
      );
      expect(header(axfr.replies[0]!).rcode).toBe(5);
      const ixfr = await exchangeUdp(vigil.port, buildQuery({ name: 'example.com', type: 251 }));
      expect(header(ixfr!).rcode).toBe(5);
    });

    it('copies the ID and RD bit', async () => {
      const reply = await exchangeUdp(
        vigil.port,
        buildQuery({ name: 'example.com', id: 4242, flags: 0 }),
      );
      expect(header(reply!)).toMatchObject({ id: 4242, rd: false, aa: true });
    });
  });

  describe('TCP (RFC 7766)', () => {
    it('answers pipelined queries on one connection in order', async () => {
      const queries = [1, 2, 3].map((id) => frame(buildQuery({ id, name: 'example.com' })));
      const { replies } = await exchangeTcp(vigil.port, Buffer.concat(queries), 3);
      expect(replies.map((r) => header(r).id)).toEqual([1, 2, 3]);
    });

    it('reassembles a query split across writes', async () => {
      const bytes = frame(buildQuery({ id: 9, name: 'ns1.example.com' }));
      const socket = net.connect(vigil.port, '127.0.0.1');
      const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
      socket.write(bytes.subarray(0, 5));
      await new Promise((r) => setTimeout(r, 50));
      socket.write(bytes.subarray(5));
      const data = await reply;
      socket.destroy();
      expect(header(data.subarray(2))).toMatchObject({ id: 9, ancount: 1 });
    });

    it('closes an idle connection after tcp_idle_timeout', async () => {
      const started = Date.now();
      const { closed } = await exchangeTcp(vigil.port, Buffer.alloc(0), 1, 4000);
      expect(closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('closes a connection that trickles a frame slower than the timeout', async () => {
      const bytes = frame(buildQuery({ name: 'example.com' }));
      const socket = net.connect(vigil.port, '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      let sent = 0;
      const trickle = setInterval(() => {
        if (sent < bytes.length) socket.write(bytes.subarray(sent, ++sent));
      }, 300);
      await closed;
      clearInterval(trickle);
      expect(sent).toBeLessThan(bytes.length);
    });
  });
});

describe('TCP connection cap', () => {
  it('closes connections past tcp_max_connections and serves the ones it keeps', async () => {
    const vigil = await startVigil(
      {
        'example.com.yaml':
          "'':\n  type: NS\n  value: ns1.example.com.\nns1:\n  type: A\n  value: 192.0.2.53\n",
      },
      { serverYaml: '  tcp_max_connections: 2' },
    );
    const open = () =>
      new Promise<net.Socket>((resolve) => {
        const socket = net.connect(vigil.port, '127.0.0.1', () => resolve(socket));
        socket.on('error', () => undefined);
      });
    try {
      const kept = [await open(), await open()];
      const extra = await open();
      const closed = await new Promise<boolean>((resolve) => {
        extra.once('close', () => resolve(true));
        setTimeout(() => resolve(false), 1000);
      });
      expect(closed).toBe(true);

      const reply = new Promise<Buffer>((resolve) => kept[0]!.once('data', resolve));
      kept[0]!.write(frame(buildQuery({ id: 7, name: 'ns1.example.com' })));
      expect(header((await reply).subarray(2))).toMatchObject({ id: 7, ancount: 1 });
      for (const socket of kept) socket.destroy();
    } finally {
      await vigil.stop();
    }
  });
});
