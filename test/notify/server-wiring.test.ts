/**
 * The running server posts its health transitions: a local HTTP target
 * that stops answering gives one webhook with `to: 'down'`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';
import { startReceiver, until, type Receiver } from './receiver.js';

const ZONE = "'':\n  type: NS\n  value: ns1.example.com.\nns1:\n  type: A\n  value: 192.0.2.53\n";

function target(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((_req, res) => res.end('ok'));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port }),
    ),
  );
}

describe('webhooks from the running server', () => {
  let vigil: VigilUnderTest | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await vigil?.stop();
    await receiver?.close();
  });

  it('posts one webhook when a check goes down', async () => {
    receiver = await startReceiver([204]);
    const { server, port } = await target();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      {
        mainYaml: [
          'checks:',
          '  web:',
          '    type: http',
          '    host: web.example.net',
          '    address: 127.0.0.1',
          `    port: ${port}`,
          '    interval: 1s',
          '    timeout: 500ms',
          '    rise: 1',
          '    fall: 1',
          'notify:',
          '  webhooks:',
          `    - url: ${receiver.url}`,
          '      headers:',
          '        x-vigil-test: "yes"',
        ].join('\n'),
      },
    );
    const health = vigil.server.health;
    await until(() => (health.state('web')?.history.length ?? 0) >= 1);
    expect(health.state('web')).toMatchObject({ state: 'up' });

    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await until(() => receiver!.requests.length >= 1);

    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['x-vigil-test']).toBe('yes');
    expect(receiver.requests[0]!.body).toMatchObject({
      check: 'web',
      from: 'up',
      to: 'down',
      reason: expect.stringContaining('ECONNREFUSED'),
      results: [expect.objectContaining({ ok: false })],
      records: [],
    });
  });
});
