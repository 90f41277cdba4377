import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/health/index.js';
import { httpCheck, makeSelfSignedCert } from './helpers.js';

const never = new AbortController().signal;

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return portOf(server);
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('http probe against a local node:http server', () => {
  const seen: { host?: string; method?: string; url?: string }[] = [];
  const server = createHttpServer((req, res) => {
    seen.push({ host: req.headers.host, method: req.method, url: req.url });
    if (req.url === '/down') return void res.writeHead(503).end('maintenance');
    if (req.url === '/moved') return void res.writeHead(302, { location: '/health' }).end();
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000).unref();
    if (req.url === '/big') return void res.end('x'.repeat(200 * 1024) + 'needle');
    res.end('status: ok');
  });
  let port = 0;

  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => close(server));

  it('passes on 200 and sends Host with the port', async () => {
    const result = await PROBES.http.run(httpCheck({ port }), never);
    expect(result).toMatchObject({ ok: true, reason: 'status 200', status: 200 });
    expect(result.phases.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.phases.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toEqual({
      host: `service.example.com:${port}`,
      method: 'GET',
      url: '/health',
    });
  });

  it('fails on 503 with the status as reason', async () => {
    const result = await PROBES.http.run(httpCheck({ port, path: '/down' }), never);
    expect(result).toMatchObject({ ok: false, reason: 'status 503', status: 503 });
  });

  it('does not follow redirects; 302 passes only inside expectStatus', async () => {
    const moved = httpCheck({ port, path: '/moved' });
    expect(await PROBES.http.run(moved, never)).toMatchObject({ ok: true, status: 302 });
    const strict = { ...moved, expectStatus: [[200, 299]] as const };
    expect(await PROBES.http.run(strict, never)).toMatchObject({ ok: false, reason: 'status 302' });
  });

  it('passes when the body holds expectBody and fails when it does not', async () => {
    const good = await PROBES.http.run(httpCheck({ port, expectBody: 'ok' }), never);
    expect(good).toMatchObject({ ok: true });
    const bad = await PROBES.http.run(httpCheck({ port, expectBody: 'healthy' }), never);
    expect(bad).toMatchObject({ ok: false, reason: 'body lacks "healthy"', status: 200 });
  });

  it('searches only the first 64 KiB of the body', async () => {
    const result = await PROBES.http.run(
      httpCheck({ port, path: '/big', expectBody: 'needle' }),
      never,
    );
    expect(result).toMatchObject({ ok: false, reason: 'body lacks "needle"' });
  });

  it('sends HEAD when asked', async () => {
    const result = await PROBES.http.run(httpCheck({ port, method: 'HEAD' }), never);
    expect(result.ok).toBe(true);
    expect(seen.at(-1)?.method).toBe('HEAD');
  });

  it('fails a slow response with a timeout reason', async () => {
    const result = await PROBES.http.run(httpCheck({ port, path: '/slow', timeoutMs: 200 }), never);
    expect(result).toMatchObject({ ok: false, reason: 'timeout after 200 ms' });
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('fails with a connect error once the server is gone', async () => {
    const gone = createHttpServer();
    const gonePort = await listen(gone);
    await close(gone);
    const result = await PROBES.http.run(httpCheck({ port: gonePort }), never);
    expect(result).toMatchObject({ ok: false, reason: 'connect ECONNREFUSED' });
  });

  it('reports aborted when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = PROBES.http.run(
      httpCheck({ port, path: '/slow', timeoutMs: 5000 }),
      controller.signal,
    );
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, reason: 'aborted' });
  });
});

describe('https probe against a local node:https server with a self-signed certificate', () => {
  const { key, cert } = makeSelfSignedCert();
  const server = createHttpsServer({ key, cert }, (_req, res) => res.end('ok'));
  let port = 0;

  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => close(server));

  const tls = (verify: boolean, ca?: string) => ({ verify, ca, servername: undefined });

  it('passes with verify: false', async () => {
    const result = await PROBES.https.run(
      httpCheck({ type: 'https', port, tls: tls(false) }),
      never,
    );
    expect(result).toMatchObject({ ok: true, reason: 'status 200' });
    expect(result.phases.tlsMs).toBeGreaterThan(0);
  });

  it('fails verification without the CA, naming the certificate problem', async () => {
    const result = await PROBES.https.run(
      httpCheck({ type: 'https', port, tls: tls(true) }),
      never,
    );
    expect(result).toMatchObject({ ok: false, reason: 'certificate: DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('passes verification with the certificate as ca', async () => {
    const check = httpCheck({ type: 'https', port, tls: tls(true, cert) });
    expect(await PROBES.https.run(check, never)).toMatchObject({ ok: true });
  });

  it('fails verification when the name does not match', async () => {
    const check = httpCheck({
      type: 'https',
      port,
      host: 'other.example.net',
      tls: tls(true, cert),
    });
    const result = await PROBES.https.run(check, never);
    expect(result).toMatchObject({
      ok: false,
      reason: 'certificate: ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });
});
