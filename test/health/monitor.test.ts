import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthMonitor, type Transition } from '../../src/health/index.js';
import { httpTarget, until, type HttpTarget } from '../support/health.js';
import { httpCheck } from './helpers.js';

describe('HealthMonitor with the real http probe', () => {
  let target: HttpTarget;
  let port = 0;

  beforeAll(async () => {
    target = await httpTarget();
    port = target.port;
  });
  afterAll(() => target.close());

  it('goes down after fall failures and up again after rise passes', async () => {
    const transitions: Transition[] = [];
    const check = httpCheck({ port, intervalMs: 40, timeoutMs: 500, rise: 2, fall: 2 });
    const monitor = new HealthMonitor([check], { onTransition: (t) => transitions.push(t) });
    monitor.start();
    try {
      await until(() => (monitor.state('web')?.history.length ?? 0) >= 2);
      expect(transitions).toEqual([]);

      target.healthy = false;
      await until(() => transitions.length === 1);
      expect(transitions[0]).toMatchObject({ from: 'up', to: 'down', reason: 'status 503' });

      target.healthy = true;
      await until(() => transitions.length === 2);
      expect(transitions[1]).toMatchObject({ from: 'down', to: 'up', reason: 'status 200' });
      expect(monitor.state('web')).toMatchObject({ state: 'up', since: transitions[1]?.at });
    } finally {
      monitor.stop();
    }
  });
});
