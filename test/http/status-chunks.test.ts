/**
 * /status is written in slices of checks; the pieces must join into the
 * same JSON as the whole document, whatever the number of checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VigilConfig } from '../../src/config/index.js';
import { HealthMonitor, type Probe } from '../../src/health/index.js';
import { buildStatus, statusChunks, type StatusSource } from '../../src/http/index.js';
import { httpCheck } from '../health/helpers.js';

/** A probe that passes at once. */
const PASS: Probe = {
  run: async () => ({
    at: Date.UTC(2030, 0, 1),
    ok: true,
    reason: 'ok',
    durationMs: 1,
    phases: {},
  }),
};

function sourceWith(checkCount: number, started: boolean): StatusSource {
  const checks = Array.from({ length: checkCount }, (_, i) =>
    httpCheck({ name: `c${i}`, intervalMs: 3_600_000 }),
  );
  const health = new HealthMonitor(checks, {
    probes: { http: PASS, https: PASS, tcp: PASS, dns: PASS },
  });
  monitors.push(health);
  if (started) health.start();
  return {
    startedAtMs: Date.UTC(2030, 0, 1),
    config: { file: '/etc/vigil/vigil.yaml', checks, zones: [] } as unknown as VigilConfig,
    health,
    stats: { udp: [3, 0, 0, 1], tcp: [1], malformed: 2 },
    reloads: { ok: 0, failed: 0, lastSuccessMs: Date.UTC(2030, 0, 1) },
  };
}

const monitors: HealthMonitor[] = [];
const sections = {
  zones: () => [{ zone: 'example.com.', serial: 1, rrsets: 3 }],
  records: () => [],
};

describe('statusChunks', () => {
  afterEach(() => {
    for (const monitor of monitors.splice(0)) monitor.stop();
  });

  for (const [count, started] of [
    [0, true],
    [1, true],
    [600, true],
    [600, false],
  ] as const) {
    it(`joins into the whole document with ${count} checks${started ? '' : ' not yet started'}`, async () => {
      const source = sourceWith(count, started);
      // Every first probe has finished, so nothing changes while the chunks are written.
      const done = () => source.health.names().every((n) => source.health.state(n)!.history.length);
      while (!done()) await new Promise((resolve) => setImmediate(resolve));
      const chunks = await statusChunks(source, sections);
      const whole = buildStatus(source, sections);
      expect(chunks.join('')).toBe(`${JSON.stringify(whole)}\n`);
      expect(whole.checks).toHaveLength(started ? count : 0);
      expect(whole.queries.udp).toMatchObject({ NOERROR: 3, NXDOMAIN: 1 });
      if (count > 250) expect(chunks.length).toBeGreaterThan(3);
    });
  }
});
