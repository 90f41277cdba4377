import { createSocket } from 'node:dgram';
import { createServer, Socket, type AddressInfo } from 'node:net';
import dns2, { Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/health/index.js';
import { dnsCheck } from './helpers.js';

const never = new AbortController().signal;
const { TYPE, CLASS, RCODE } = Packet;

/** Answers a few names under example.com; truncates big.example.com over UDP. */
const server = dns2.createServer({
  udp: true,
  tcp: true,
  handle: (request, send, client) => {
    const response = Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    const name = question?.name ?? '';
    const record = { name, class: CLASS.IN, ttl: 60 };
    if (name === 'slow.example.com') return;
    if (name === 'www.example.com') {
      response.answers.push({ ...record, type: TYPE.A, address: '192.0.2.10' } as never);
    } else if (name === 'v6.example.com') {
      response.answers.push({ ...record, type: TYPE.AAAA, address: '2001:db8::1' } as never);
    } else if (name === 'alias.example.com') {
      response.answers.push({ ...record, type: TYPE.CNAME, domain: 'target.example.net' } as never);
    } else if (name === 'big.example.com') {
      if (client instanceof Socket) {
        response.answers.push({ ...record, type: TYPE.A, address: '192.0.2.99' } as never);
      } else {
        response.header.tc = 1;
      }
    } else {
      response.header.rcode = RCODE.NXDOMAIN;
    }
    void send(response);
  },
});
let port = 0;

beforeAll(async () => {
  // The truncation retry needs UDP and TCP on one port: take a free TCP port from
  // the kernel (port 0), release it, and bind both transports to it.
  const reserve = createServer();
  await new Promise<void>((resolve) => reserve.listen(0, '127.0.0.1', resolve));
  port = (reserve.address() as AddressInfo).port;
  await new Promise<void>((resolve) => reserve.close(() => resolve()));
  const address = '127.0.0.1';
  await server.listen({ udp: { port, address }, tcp: { port, address } });
});
afterAll(() => server.close());

describe('dns probe against a local dns2 server', () => {
  it('passes on NOERROR', async () => {
    const result = await PROBES.dns.run(dnsCheck({ port }), never);
    expect(result).toMatchObject({ ok: true, reason: 'rcode NOERROR' });
    expect(result.phases.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['www.example.com', 'A', '192.0.2.10', true],
    ['www.example.com', 'A', '192.0.2.11', false],
    ['v6.example.com', 'AAAA', '2001:DB8:0::1', true],
    ['alias.example.com', 'CNAME', 'target.example.net.', true],
    ['alias.example.com', 'CNAME', 'other.example.net', false],
  ])('%s %s expecting answer %s passes: %s', async (name, type, expectAnswer, ok) => {
    const check = dnsCheck({ port, query: { name, type }, expectAnswer });
    const result = await PROBES.dns.run(check, never);
    expect(result.ok).toBe(ok);
    if (!ok) expect(result.reason).toBe(`answer lacks "${expectAnswer}"`);
  });

  it('fails on NXDOMAIN unless expectRcode is NXDOMAIN', async () => {
    const query = { name: 'missing.example.com', type: 'A' };
    const strict = await PROBES.dns.run(dnsCheck({ port, query }), never);
    expect(strict).toMatchObject({ ok: false, reason: 'rcode NXDOMAIN' });
    const lenient = await PROBES.dns.run(dnsCheck({ port, query, expectRcode: 'NXDOMAIN' }), never);
    expect(lenient).toMatchObject({ ok: true, reason: 'rcode NXDOMAIN' });
  });

  it('retries over TCP when the UDP reply is truncated (RFC 1035 §4.2.1)', async () => {
    const check = dnsCheck({
      port,
      query: { name: 'big.example.com', type: 'A' },
      expectAnswer: '192.0.2.99',
    });
    const result = await PROBES.dns.run(check, never);
    expect(result).toMatchObject({ ok: true, reason: 'rcode NOERROR' });
    expect(result.phases.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('times out when the server does not answer', async () => {
    const check = dnsCheck({
      port,
      query: { name: 'slow.example.com', type: 'A' },
      timeoutMs: 150,
    });
    expect(await PROBES.dns.run(check, never)).toMatchObject({
      ok: false,
      reason: 'timeout after 150 ms',
    });
  });

  it('fails at once when nothing listens on the port', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const freePort = probe.address().port;
    probe.close();
    const result = await PROBES.dns.run(dnsCheck({ port: freePort, timeoutMs: 2000 }), never);
    expect(result).toMatchObject({ ok: false, reason: 'receive ECONNREFUSED' });
  });

  it('rejects a query type dns2 cannot encode', async () => {
    const check = dnsCheck({ port, query: { name: 'www.example.com', type: 'HTTPS' } });
    expect(await PROBES.dns.run(check, never)).toMatchObject({
      ok: false,
      reason: 'query type HTTPS unsupported',
    });
  });
});
