import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DuplicateCheckError,
  HealthMonitor,
  spreadOffsetMs,
  type CheckConfig,
  type MonitorOptions,
  type Probe,
  type Transition,
} from '../../src/health/index.js';
import { httpCheck } from './helpers.js';

interface Call {
  readonly name: string;
  readonly atMs: number;
  readonly signal: AbortSignal;
}

/** A probe whose verdict and duration the test controls, honouring its signal. */
class FakeProbe implements Probe {
  calls: Call[] = [];
  inFlight = new Map<string, number>();
  maxInFlight = 0;
  maxPerCheck = 0;
  durationMs = 10;
  ok = true;

  run(check: CheckConfig, signal: AbortSignal) {
    const at = Date.now();
    this.calls.push({ name: check.name, atMs: at, signal });
    const mine = (this.inFlight.get(check.name) ?? 0) + 1;
    this.inFlight.set(check.name, mine);
    this.maxPerCheck = Math.max(this.maxPerCheck, mine);
    this.maxInFlight = Math.max(this.maxInFlight, this.#total());
    return new Promise<Awaited<ReturnType<Probe['run']>>>((resolve) => {
      const finish = (ok: boolean, reason: string): void => {
        clearTimeout(timer);
        this.inFlight.set(check.name, (this.inFlight.get(check.name) ?? 1) - 1);
        resolve({ at, ok, reason, durationMs: Date.now() - at, phases: {} });
      };
      const timer = setTimeout(() => finish(this.ok, this.ok ? 'ok' : 'bad'), this.durationMs);
      signal.addEventListener('abort', () => finish(false, `aborted: ${signal.reason.name}`));
    });
  }

  namesCalled(): string[] {
    return this.calls.map((call) => call.name);
  }

  #total(): number {
    return [...this.inFlight.values()].reduce((sum, n) => sum + n, 0);
  }
}

const T0 = Date.UTC(2030, 0, 1);

function monitorOf(checks: CheckConfig[], probe: FakeProbe, options: MonitorOptions = {}) {
  return new HealthMonitor(checks, {
    probes: { http: probe, https: probe, tcp: probe, dns: probe },
    now: () => Date.now(),
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as never),
    },
    ...options,
  });
}

describe('HealthMonitor', () => {
  let probe: FakeProbe;
  let monitor: HealthMonitor | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    probe = new FakeProbe();
  });

  afterEach(() => {
    monitor?.stop();
    monitor = undefined;
    vi.useRealTimers();
  });

  it('runs the first probe of every check at start', async () => {
    const checks = ['a', 'b', 'c'].map((name) => httpCheck({ name, intervalMs: 10_000 }));
    monitor = monitorOf(checks, probe);
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.calls.map((c) => [c.name, c.atMs])).toEqual([
      ['a', T0],
      ['b', T0],
      ['c', T0],
    ]);
  });

  it('runs later turns at the spread offset, then every intervalMs', async () => {
    const check = httpCheck({ name: 'web', intervalMs: 1000 });
    const offsetMs = spreadOffsetMs('web', 1000);
    monitor = monitorOf([check], probe);
    monitor.start();
    await vi.advanceTimersByTimeAsync(offsetMs + 2 * 1000);
    expect(probe.calls.map((c) => c.atMs - T0)).toEqual([
      0,
      offsetMs,
      offsetMs + 1000,
      offsetMs + 2000,
    ]);
  });

  it('spreads offsets of many checks across the interval, deterministically', () => {
    const offsets = Array.from({ length: 200 }, (_, i) => spreadOffsetMs(`check-${i}`, 10_000));
    expect(offsets.every((ms) => ms > 0 && ms <= 10_000)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(180);
    const firstHalf = offsets.filter((ms) => ms <= 5000).length;
    expect(firstHalf).toBeGreaterThan(60);
    expect(firstHalf).toBeLessThan(140);
    expect(spreadOffsetMs('check-7', 10_000)).toBe(offsets[7]);
  });

  it('skips a turn instead of starting a probe that is still running', async () => {
    probe.durationMs = 2500;
    const check = httpCheck({ name: 'slow', intervalMs: 1000, timeoutMs: 10_000 });
    monitor = monitorOf([check], probe);
    monitor.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe.maxPerCheck).toBe(1);
    expect(probe.calls.length).toBeGreaterThanOrEqual(3);
    expect(probe.calls.length).toBeLessThanOrEqual(5);
    expect(monitor.state('slow')?.skippedTurns).toBeGreaterThan(0);
  });

  it('aborts a probe at timeoutMs and records the failure', async () => {
    probe.durationMs = 60_000;
    const check = httpCheck({ name: 'web', intervalMs: 10_000, timeoutMs: 300, fall: 1 });
    const transitions: Transition[] = [];
    monitor = monitorOf([check], probe, { onTransition: (t) => transitions.push(t) });
    monitor.start();
    await vi.advanceTimersByTimeAsync(299);
    expect(probe.calls[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(probe.calls[0]?.signal.aborted).toBe(true);
    expect(monitor.state('web')?.history).toHaveLength(1);
    expect(transitions).toMatchObject([{ to: 'down', reason: 'aborted: TimeoutError' }]);
  });

  it('runs all probes through one pool of `concurrency`', async () => {
    probe.durationMs = 100;
    const checks = Array.from({ length: 7 }, (_, i) => httpCheck({ name: `c${i}` }));
    monitor = monitorOf(checks, probe, { concurrency: 2 });
    monitor.start();
    await vi.advanceTimersByTimeAsync(350);
    expect(probe.maxInFlight).toBe(2);
    expect(new Set(probe.namesCalled()).size).toBe(7);
  });

  it('emits a transition once fall failures in a row are reached', async () => {
    probe.ok = false;
    const transitions: Transition[] = [];
    const check = httpCheck({ name: 'web', intervalMs: 1000, fall: 3 });
    monitor = monitorOf([check], probe, { onTransition: (t) => transitions.push(t) });
    monitor.start();
    await vi.advanceTimersByTimeAsync(spreadOffsetMs('web', 1000) + 100);
    expect(transitions).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(transitions).toMatchObject([{ check: 'web', from: 'up', to: 'down', reason: 'bad' }]);
    expect(monitor.state('web')).toMatchObject({ state: 'down', failures: 3 });
  });

  it('stop() clears the timers and aborts probes in flight', async () => {
    probe.durationMs = 5000;
    monitor = monitorOf([httpCheck({ name: 'web', timeoutMs: 10_000 })], probe);
    monitor.start();
    await vi.advanceTimersByTimeAsync(10);
    monitor.stop();
    expect(probe.calls[0]?.signal.reason.name).toBe('AbortError');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe.calls).toHaveLength(1);
    expect(monitor.state('web')).toBeUndefined();
  });

  it('rejects two checks with one name', () => {
    const checks = [httpCheck({ name: 'web' }), httpCheck({ name: 'web' })];
    expect(() => monitorOf(checks, probe)).toThrow(DuplicateCheckError);
    expect(() => monitorOf(checks, probe)).toThrow(
      expect.objectContaining({ code: 'ERR_HEALTH_DUPLICATE_CHECK', check: 'web' }),
    );
  });

  describe('start lag', () => {
    it('records zero lag for probes that start on their slots', async () => {
      const check = httpCheck({ name: 'web', intervalMs: 1000 });
      monitor = monitorOf([check], probe);
      monitor.start();
      await vi.advanceTimersByTimeAsync(spreadOffsetMs('web', 1000) + 2 * 1000);
      expect(probe.calls).toHaveLength(4);
      expect(monitor.lag()).toMatchObject({ count: 4, sumMs: 0, maxMs: 0 });
      expect(monitor.lag().counts[0]).toBe(4);
    });

    it('counts the wait in the pool queue as lag', async () => {
      probe.durationMs = 100;
      const checks = ['a', 'b', 'c'].map((name) => httpCheck({ name, intervalMs: 10_000 }));
      monitor = monitorOf(checks, probe, { concurrency: 1 });
      monitor.start();
      await vi.advanceTimersByTimeAsync(350);
      const lag = monitor.lag();
      expect(lag).toMatchObject({ count: 3, sumMs: 300, maxMs: 200 });
      // 0 ms in the first bucket (<= 1), 100 ms in <= 100, 200 ms in <= 250.
      const bucketOf = (ms: number) => lag.boundsMs.indexOf(ms);
      expect(lag.counts[0]).toBe(1);
      expect(lag.counts[bucketOf(100)]).toBe(1);
      expect(lag.counts[bucketOf(250)]).toBe(1);
      expect(lag.counts.reduce((sum, n) => sum + n, 0)).toBe(3);
    });

    it('measures a late timer against the slot, not against when it fired', async () => {
      const lateMs = 30;
      const check = httpCheck({ name: 'web', intervalMs: 1000 });
      monitor = monitorOf([check], probe, {
        timers: {
          setTimeout: (fn, ms) => setTimeout(fn, ms + lateMs),
          clearTimeout: (h) => clearTimeout(h as never),
        },
      });
      monitor.start();
      await vi.advanceTimersByTimeAsync(spreadOffsetMs('web', 1000) + 1000 + 2 * lateMs);
      // The first probe runs at start, on time; two periodic turns, each 30 ms late.
      expect(monitor.lag()).toMatchObject({ count: 3, sumMs: 2 * lateMs, maxMs: lateMs });
      expect(monitor.lag().counts[monitor.lag().boundsMs.indexOf(50)]).toBe(2);
    });

    it('reports the largest lag since the previous read, then starts over', async () => {
      probe.durationMs = 100;
      const checks = ['a', 'b'].map((name) => httpCheck({ name, intervalMs: 10_000 }));
      monitor = monitorOf(checks, probe, { concurrency: 1 });
      monitor.start();
      await vi.advanceTimersByTimeAsync(250);
      expect(monitor.takeRecentMaxLagMs()).toBe(100);
      expect(monitor.takeRecentMaxLagMs()).toBe(0);
      expect(monitor.lag().maxMs).toBe(100);
    });
  });

  describe('update()', () => {
    it('keeps the state and history of an unchanged check, even if it moved in the file', async () => {
      probe.ok = false;
      const check = httpCheck({ name: 'web', intervalMs: 1000, fall: 1 });
      monitor = monitorOf([check], probe);
      monitor.start();
      await vi.advanceTimersByTimeAsync(100);
      const before = monitor.state('web');
      expect(before).toMatchObject({ state: 'down' });

      monitor.update([{ ...check, source: { file: 'vigil.yaml', line: 40, col: 3 } }]);
      await vi.advanceTimersByTimeAsync(0);
      expect(probe.calls).toHaveLength(1);
      expect(monitor.state('web')).toEqual(before);
    });

    it('restarts a changed check from its initial state with an immediate probe', async () => {
      probe.ok = false;
      const check = httpCheck({ name: 'web', intervalMs: 1000, fall: 1 });
      monitor = monitorOf([check], probe);
      monitor.start();
      await vi.advanceTimersByTimeAsync(100);
      expect(monitor.state('web')?.state).toBe('down');

      probe.ok = true;
      monitor.update([{ ...check, path: '/ready', rise: 5 }]);
      expect(monitor.state('web')).toMatchObject({ state: 'up', history: [] });
      await vi.advanceTimersByTimeAsync(50);
      expect(probe.calls).toHaveLength(2);
      expect(monitor.state('web')?.history).toMatchObject([{ ok: true }]);
    });

    it('stops a removed check at once and starts an added one', async () => {
      probe.durationMs = 500;
      const a = httpCheck({ name: 'a', intervalMs: 1000 });
      const b = httpCheck({ name: 'b', intervalMs: 1000 });
      monitor = monitorOf([a], probe);
      monitor.start();
      await vi.advanceTimersByTimeAsync(100);

      monitor.update([b]);
      expect(probe.calls[0]?.signal.aborted).toBe(true);
      expect(monitor.state('a')).toBeUndefined();
      expect(monitor.names()).toEqual(['b']);
      await vi.advanceTimersByTimeAsync(5000);
      expect(probe.namesCalled().filter((name) => name === 'a')).toHaveLength(1);
      expect(probe.namesCalled().filter((name) => name === 'b').length).toBeGreaterThan(3);
    });

    it('only records the new set before start()', async () => {
      monitor = monitorOf([httpCheck({ name: 'a' })], probe);
      monitor.update([httpCheck({ name: 'b' })]);
      monitor.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(probe.namesCalled()).toEqual(['b']);
    });
  });
});
