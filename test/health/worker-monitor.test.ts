/**
 * ProbeWorkerMonitor with the compiled probe worker (`npm test` builds it
 * first): results cross the thread boundary into the state machines here,
 * a reload keeps unchanged checks, and a failing worker is started again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeWorkerMonitor, nameHash, type Transition } from '../../src/health/index.js';
import { httpTarget, until, type HttpTarget } from '../support/health.js';
import { httpCheck, tcpCheck } from './helpers.js';

const WORKER = new URL('../../dist/health/probe-worker.js', import.meta.url);

describe('ProbeWorkerMonitor', () => {
  let target: HttpTarget;
  let port = 0;

  beforeAll(async () => {
    target = await httpTarget();
    port = target.port;
  });
  afterAll(() => target.close());

  it('counts the worker results: down after fall failures, up after rise passes', async () => {
    const transitions: Transition[] = [];
    const results: string[] = [];
    const check = httpCheck({ port, intervalMs: 1000, timeoutMs: 500, rise: 2, fall: 2 });
    const monitor = new ProbeWorkerMonitor([check], {
      workerUrl: WORKER,
      onTransition: (t) => transitions.push(t),
      onResult: (name, result) => results.push(`${name} ${result.ok ? 'pass' : result.reason}`),
    });
    monitor.start();
    try {
      await until(() => results.length >= 1);
      expect(results[0]).toBe('web pass');
      expect(monitor.state('web')).toMatchObject({ state: 'up', passes: 1 });

      target.healthy = false;
      await until(() => transitions.length === 1);
      expect(transitions[0]).toMatchObject({ check: 'web', from: 'up', to: 'down' });
      expect(transitions[0]!.reason).toBe('status 503');
      expect(results.filter((r) => r === 'web status 503')).toHaveLength(2);

      target.healthy = true;
      await until(() => transitions.length === 2);
      expect(transitions[1]).toMatchObject({ from: 'down', to: 'up', reason: 'status 200' });
      expect(monitor.names()).toEqual(['web']);
      // The worker reports its start lag once a second.
      await until(() => monitor.lag().count > 0);
    } finally {
      target.healthy = true;
      monitor.stop();
    }
  });

  it('keeps an unchanged check over update, restarts a changed one, drops a removed one', async () => {
    const web = httpCheck({ port, intervalMs: 1000, timeoutMs: 500 });
    const tcp = tcpCheck({ name: 'tcp', port, intervalMs: 1000, timeoutMs: 500 });
    const monitor = new ProbeWorkerMonitor([web, tcp], { workerUrl: WORKER });
    monitor.start();
    try {
      await until(() => (monitor.state('web')?.history.length ?? 0) >= 1);
      await until(() => (monitor.state('tcp')?.history.length ?? 0) >= 1);
      const kept = monitor.state('web')!;

      const changed = httpCheck({ name: 'api', port, path: '/other', intervalMs: 1000 });
      monitor.update([{ ...web }, changed]);
      expect(monitor.names().sort()).toEqual(['api', 'web']);
      expect(monitor.state('tcp')).toBeUndefined();
      expect(monitor.state('web')!.history.length).toBeGreaterThanOrEqual(kept.history.length);
      expect(monitor.state('web')!.since).toBe(kept.since);
      expect(monitor.state('api')!.history).toEqual([]);
      await until(() => (monitor.state('api')?.history.length ?? 0) >= 1);
      expect(monitor.state('api')!.history[0]!.ok).toBe(true);
    } finally {
      monitor.stop();
    }
  });

  it('spreads the checks over several threads by name and adds up their lag', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    // The names fall on both threads, so both must report.
    expect(new Set(names.map((n) => nameHash(n) % 2)).size).toBe(2);
    const checks = names.map((name) => tcpCheck({ name, port, intervalMs: 1000, timeoutMs: 500 }));
    const monitor = new ProbeWorkerMonitor(checks, { workerUrl: WORKER, threads: 2 });
    monitor.start();
    try {
      await until(() => names.every((n) => (monitor.state(n)?.history.length ?? 0) >= 1));
      expect(names.map((n) => monitor.state(n)!.history[0]!.ok)).toEqual(names.map(() => true));
      await until(() => monitor.lag().count >= names.length);
      const lag = monitor.lag();
      expect(lag.counts.reduce((a, b) => a + b, 0)).toBe(lag.count);

      // A reload that moves nothing between threads keeps every check's history.
      const before = monitor.state('a')!.history.length;
      monitor.update(checks.filter((c) => c.name !== 'f'));
      expect(monitor.names().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(monitor.state('a')!.history.length).toBeGreaterThanOrEqual(before);
    } finally {
      monitor.stop();
    }
  });

  it('starts a worker that failed again, keeping the state it had', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-worker-'));
    const broken = join(dir, 'broken-worker.mjs');
    await writeFile(broken, 'throw new Error("worker broke");\n');
    const errors: string[] = [];
    const monitor = new ProbeWorkerMonitor([httpCheck({ port })], {
      workerUrl: pathToFileURL(broken),
      onWorkerError: (err) => errors.push(err.message),
    });
    monitor.start();
    try {
      // One failure at start, one more after the restart delay.
      await until(() => errors.length >= 2, 5000);
      expect(errors[0]).toBe('worker broke');
      expect(monitor.state('web')).toMatchObject({ state: 'up', history: [] });
    } finally {
      monitor.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
