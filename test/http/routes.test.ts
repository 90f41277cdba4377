/**
 * The status API's listener: its routes and methods, a clear error when
 * its address is taken, and no connection left open after stop().
 */
import http from 'node:http';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { VigilServer } from '../../src/server/index.js';
import { MINIMAL_ZONE as ZONE } from '../support/health.js';
import { startVigil, writeConfig, type VigilUnderTest } from '../support/vigil.js';

/** GET (or another method) with node:http, so HEAD and 405 are seen as sent. */
function request(
  port: number,
  path: string,
  method = 'GET',
  agent?: http.Agent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('status API routes', () => {
  let vigil: VigilUnderTest | undefined;
  afterEach(async () => {
    await vigil?.stop();
    vigil = undefined;
  });

  async function start(): Promise<number> {
    vigil = await startVigil({ 'example.com.yaml': ZONE }, { serverYaml: '  http: 127.0.0.1:0' });
    const address = vigil.server.httpAddress;
    expect(address).toMatchObject({ address: '127.0.0.1' });
    return address!.port;
  }

  it('answers /healthz with ok, as text', async () => {
    const port = await start();
    const res = await request(port, '/healthz');
    expect(res).toMatchObject({ status: 200, body: 'ok\n' });
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const port = await start();
    const get = await request(port, '/status');
    const head = await request(port, '/status', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(get.body.length).toBeGreaterThan(0);
  });

  it('answers 404 for unknown paths and 405 with Allow for other methods', async () => {
    const port = await start();
    expect((await request(port, '/nope')).status).toBe(404);
    expect((await request(port, '/')).status).toBe(404);
    expect((await request(port, '/metrics/extra')).status).toBe(404);
    const post = await request(port, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await request(port, '/healthz', 'DELETE')).status).toBe(405);
  });

  it('ignores the query string when routing', async () => {
    const port = await start();
    expect(await request(port, '/healthz?verbose=1')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('has no listener when server.http is absent', async () => {
    vigil = await startVigil({ 'example.com.yaml': ZONE });
    expect(vigil.server.httpAddress).toBeUndefined();
  });

  it('closes kept-alive connections on stop()', async () => {
    const port = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await request(port, '/healthz', 'GET', agent)).status).toBe(200);
      const [socket] = Object.values(agent.freeSockets).flat();
      expect(socket).toBeDefined();
      const closed = new Promise<void>((resolve) => socket!.once('close', () => resolve()));
      await vigil!.stop();
      vigil = undefined;
      await closed;
      await expect(request(port, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
    }
  });

  it('fails to start with a ListenError naming the address when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as net.AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'vigil-test-'));
    try {
      const main = await writeConfig(
        dir,
        { 'example.com.yaml': ZONE },
        { serverYaml: `  http: 127.0.0.1:${port}` },
      );
      const config = await loadConfig(main);
      const log = createLogger('silent', { write: () => {} });
      await expect(VigilServer.start(config, log)).rejects.toMatchObject({
        name: 'ListenError',
        code: 'ERR_LISTEN',
        message: expect.stringMatching(
          new RegExp(`^cannot bind http 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
        ),
      });
    } finally {
      taken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
