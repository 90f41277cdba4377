/**
 * The running server posts its health transitions: a local HTTP target
 * that stops answering gives one webhook with `to: 'down'`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MINIMAL_ZONE as ZONE, httpTarget as target, quickCheckYaml } from '../support/health.js';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';
import { startReceiver, until, type Receiver } from './receiver.js';

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
    const failover =
      'www:\n  type: CNAME\n  failover:\n    - {value: a.example.net., check: web}\n' +
      '    - {value: b.example.net.}\n';
    vigil = await startVigil(
      { 'example.com.yaml': ZONE + failover },
      {
        mainYaml: [
          ...quickCheckYaml(port),
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
      records: ['www.example.com. CNAME'],
    });
  });
});
