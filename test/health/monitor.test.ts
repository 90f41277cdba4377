import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthMonitor, type Transition } from '../../src/health/index.js';
import { httpCheck } from './helpers.js';

describe('HealthMonitor with the real http probe', () => {
  let healthy = true;
  const server = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503).end();
  });
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('goes down after fall failures and up again after rise passes', async () => {
    const transitions: Transition[] = [];
    const check = httpCheck({ port, intervalMs: 40, timeoutMs: 500, rise: 2, fall: 2 });
    const monitor = new HealthMonitor([check], { onTransition: (t) => transitions.push(t) });
    monitor.start();
    try {
      await waitFor(() => (monitor.state('web')?.history.length ?? 0) >= 2);
      expect(transitions).toEqual([]);

      healthy = false;
      await waitFor(() => transitions.length === 1);
      expect(transitions[0]).toMatchObject({ from: 'up', to: 'down', reason: 'status 503' });

      healthy = true;
      await waitFor(() => transitions.length === 2);
      expect(transitions[1]).toMatchObject({ from: 'down', to: 'up', reason: 'status 200' });
      expect(monitor.state('web')).toMatchObject({ state: 'up', since: transitions[1]?.at });
    } finally {
      monitor.stop();
    }
  });
});

async function waitFor(condition: () => boolean, limitMs = 5000): Promise<void> {
  const endMs = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > endMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
