import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/health/index.js';
import { makeSelfSignedCert, tcpCheck } from './helpers.js';

const never = new AbortController().signal;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('tcp probe against a local node:net server', () => {
  const open = new Set<import('node:net').Socket>();
  // Greets like an SMTP server, then echoes what it receives after "ECHO ".
  const server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (data) => socket.write(`ECHO ${data.toString()}`));
  });
  let port = 0;

  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await close(server);
  });

  it('passes when the connection opens', async () => {
    const result = await PROBES.tcp.run(tcpCheck({ port }), never);
    expect(result).toMatchObject({ ok: true, reason: 'connected' });
    expect(result.phases.connectMs).toBeGreaterThanOrEqual(0);
  });

  it('closes a plain connection with a reset, leaving no TIME_WAIT behind', async () => {
    const peer = createServer();
    const seen = new Promise<string>((resolve) => {
      peer.once('connection', (socket) => {
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        socket.once('end', () => resolve('end'));
        socket.resume();
      });
    });
    const peerPort = await listen(peer);
    try {
      const result = await PROBES.tcp.run(tcpCheck({ port: peerPort }), never);
      expect(result.ok).toBe(true);
      expect(await seen).toBe('ECONNRESET');
    } finally {
      await close(peer);
    }
  });

  it('passes when the reply starts with expect', async () => {
    const check = tcpCheck({ port, send: 'PING\r\n', expect: 'ECHO PING' });
    const result = await PROBES.tcp.run(check, never);
    expect(result).toMatchObject({ ok: true, reason: 'reply matches' });
    expect(result.phases.firstByteMs).toBeGreaterThanOrEqual(0);
  });

  it('fails when the reply does not start with expect', async () => {
    const check = tcpCheck({ port, send: 'PING\r\n', expect: '+PONG' });
    const result = await PROBES.tcp.run(check, never);
    expect(result).toMatchObject({ ok: false, reason: 'reply does not start with "+PONG"' });
  });

  it('times out when the server never replies', async () => {
    const check = tcpCheck({ port, expect: 'HELLO', timeoutMs: 150 });
    expect(await PROBES.tcp.run(check, never)).toMatchObject({
      ok: false,
      reason: 'timeout after 150 ms',
    });
  });

  it('closes its socket after each probe', async () => {
    await PROBES.tcp.run(tcpCheck({ port, send: 'X', expect: 'ECHO X' }), never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(open.size).toBe(0);
  });

  it('fails with connect ECONNREFUSED when nothing listens', async () => {
    const gone = createServer();
    const gonePort = await listen(gone);
    await close(gone);
    expect(await PROBES.tcp.run(tcpCheck({ port: gonePort }), never)).toMatchObject({
      ok: false,
      reason: 'connect ECONNREFUSED',
    });
  });
});

describe('tcp probe with TLS', () => {
  const { key, cert } = makeSelfSignedCert();
  const server = createTlsServer({ key, cert }, (socket) => {
    socket.on('error', () => {});
    socket.end('220 service.example.com ready\r\n');
  });
  let port = 0;

  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => close(server));

  it('passes over TLS trusting the certificate as ca, timing the handshake', async () => {
    const tls = { verify: true, servername: undefined, ca: cert };
    const result = await PROBES.tcp.run(tcpCheck({ port, tls, expect: '220 ' }), never);
    expect(result).toMatchObject({ ok: true, reason: 'reply matches' });
    expect(result.phases.tlsMs).toBeGreaterThan(0);
  });

  it('fails verification without the ca', async () => {
    const tls = { verify: true, servername: undefined, ca: undefined };
    expect(await PROBES.tcp.run(tcpCheck({ port, tls }), never)).toMatchObject({
      ok: false,
      reason: 'certificate: DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });
});
