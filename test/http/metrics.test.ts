/**
 * /metrics from a running server, parsed as Prometheus text: check state,
 * transitions and probe durations from real local targets, DNS reply
 * counters after real dig queries, reload counters, and the series of a
 * check that a reload removed disappearing.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dig } from '../support/dig.js';
import { MINIMAL_ZONE as ZONE, httpTarget, quickCheckYaml, until } from '../support/health.js';
import { samplesOf, scrape, valueOf, type Exposition } from '../support/metrics.js';
import { exchangeUdp } from '../support/raw.js';
import { startVigil, writeConfig, type VigilUnderTest } from '../support/vigil.js';

/** quickCheckYaml's check `web` plus a second check `extra` on its own target. */
function twoChecksYaml(webPort: number, extraPort: number | undefined): string {
  const lines = quickCheckYaml(webPort);
  if (extraPort !== undefined) {
    lines.push(
      '  extra:',
      '    type: tcp',
      '    host: extra.example.net',
      '    address: 127.0.0.1',
      `    port: ${extraPort}`,
      '    interval: 1s',
      '    timeout: 500ms',
    );
  }
  return lines.join('\n');
}

describe('GET /metrics', () => {
  let vigil: VigilUnderTest | undefined;
  afterEach(async () => {
    await vigil?.stop();
    vigil = undefined;
  });

  const metricsUrl = () => `http://127.0.0.1:${vigil!.server.httpAddress!.port}/metrics`;

  it('exposes check state, transitions and probe durations', async () => {
    const { server, port } = await httpTarget();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      { serverYaml: '  http: 127.0.0.1:0', mainYaml: quickCheckYaml(port).join('\n') },
    );
    const health = vigil.server.health;
    await until(() => (health.state('web')?.history.length ?? 0) >= 2);

    const up = await scrape(metricsUrl());
    expect(up.types.get('vigil_check_up')).toBe('gauge');
    expect(valueOf(up, 'vigil_check_up', { check: 'web' })).toBe(1);
    expect(valueOf(up, 'vigil_check_transitions_total', { check: 'web', to: 'down' })).toBe(0);
    expect(
      valueOf(up, 'vigil_probe_results_total', { check: 'web', result: 'pass' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      valueOf(up, 'vigil_probe_duration_seconds_count', { check: 'web' }),
    ).toBeGreaterThanOrEqual(2);
    expect(valueOf(up, 'vigil_probe_duration_seconds_sum', { check: 'web' })).toBeGreaterThan(0);

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await until(() => health.state('web')?.state === 'down');

    const down = await scrape(metricsUrl());
    expect(valueOf(down, 'vigil_check_up', { check: 'web' })).toBe(0);
    expect(valueOf(down, 'vigil_check_transitions_total', { check: 'web', to: 'down' })).toBe(1);
    expect(valueOf(down, 'vigil_check_transitions_total', { check: 'web', to: 'up' })).toBe(0);
    expect(
      valueOf(down, 'vigil_probe_results_total', { check: 'web', result: 'fail' }),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(down, 'vigil_check_skipped_turns_total', { check: 'web' })).toBe(0);
  });

  it('counts DNS replies by transport and rcode after real queries', async () => {
    vigil = await startVigil({ 'example.com.yaml': ZONE }, { serverYaml: '  http: 127.0.0.1:0' });
    const server = { host: '127.0.0.1', port: vigil.port };
    const before = await scrape(metricsUrl());
    const responses = (m: Exposition, transport: string, rcode: string) =>
      valueOf(m, 'vigil_dns_responses_total', { transport, rcode });
    expect(responses(before, 'udp', 'NOERROR')).toBe(0);
    expect(responses(before, 'tcp', 'SERVFAIL')).toBe(0);

    await dig(server, 'ns1.example.com', 'A');
    await dig(server, 'ns1.example.com', 'AAAA');
    await dig(server, 'nope.example.com', 'A');
    await dig(server, 'www.example.org', 'A');
    await dig(server, 'nope.example.com', 'A', { tcp: true });
    expect(await exchangeUdp(vigil.port, Buffer.from([1, 2, 3]), 200)).toBeNull();

    const after = await scrape(metricsUrl());
    expect(responses(after, 'udp', 'NOERROR')).toBe(2);
    expect(responses(after, 'udp', 'NXDOMAIN')).toBe(1);
    expect(responses(after, 'udp', 'REFUSED')).toBe(1);
    expect(responses(after, 'tcp', 'NXDOMAIN')).toBe(1);
    expect(responses(after, 'tcp', 'NOERROR')).toBe(0);
    expect(valueOf(after, 'vigil_dns_malformed_total')).toBe(1);
    expect(valueOf(after, 'vigil_zones')).toBe(1);
    expect(after.types.get('vigil_dns_responses_total')).toBe('counter');
  });

  it('exposes the probe start lag histogram and process metrics', async () => {
    const { server, port } = await httpTarget();
    try {
      vigil = await startVigil(
        { 'example.com.yaml': ZONE },
        { serverYaml: '  http: 127.0.0.1:0', mainYaml: quickCheckYaml(port).join('\n') },
      );
      await until(() => (vigil!.server.health.state('web')?.history.length ?? 0) >= 2);
      // The probe threads report their start lag once a second.
      await until(() => vigil!.server.health.lag().count >= 2);
      const m = await scrape(metricsUrl());
      expect(m.types.get('vigil_probe_start_lag_seconds')).toBe('histogram');
      const count = valueOf(m, 'vigil_probe_start_lag_seconds_count')!;
      expect(count).toBe(vigil.server.health.lag().count);
      expect(count).toBeGreaterThanOrEqual(2);
      const buckets = samplesOf(m, 'vigil_probe_start_lag_seconds_bucket');
      expect(buckets.map((b) => b.labels.le)).toEqual([
        ...['0.001', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5'],
        '+Inf',
      ]);
      // Two probes of one check on an idle machine start well within 100 ms of their slots.
      expect(valueOf(m, 'vigil_probe_start_lag_seconds_bucket', { le: '0.1' })).toBe(count);
      expect(valueOf(m, 'vigil_probe_start_lag_max_seconds')).toBeLessThan(0.1);
      expect(valueOf(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(valueOf(m, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
      expect(m.types.get('process_cpu_seconds_total')).toBe('counter');
    } finally {
      server.close();
    }
  });

  it('drops the series of a check a reload removed and counts reloads', async () => {
    const web = await httpTarget();
    const extra = await httpTarget();
    try {
      vigil = await startVigil(
        { 'example.com.yaml': ZONE },
        { serverYaml: '  http: 127.0.0.1:0', mainYaml: twoChecksYaml(web.port, extra.port) },
      );
      const health = vigil.server.health;
      await until(() => (health.state('extra')?.history.length ?? 0) >= 1);
      const before = await scrape(metricsUrl());
      expect(valueOf(before, 'vigil_check_up', { check: 'extra' })).toBe(1);
      expect(samplesOf(before, 'vigil_probe_results_total', { check: 'extra' })).toHaveLength(2);
      const loadedAt = valueOf(before, 'vigil_config_last_reload_success_timestamp_seconds')!;
      expect(loadedAt).toBe(vigil.server.startedAtMs / 1000);

      await writeConfig(
        vigil.dir,
        { 'example.com.yaml': ZONE },
        { serverYaml: '  http: 127.0.0.1:0', mainYaml: twoChecksYaml(web.port, undefined) },
      );
      expect((await vigil.server.reload()).ok).toBe(true);
      await writeFile(join(vigil.dir, 'vigil.yaml'), 'server: [not a mapping\n');
      expect((await vigil.server.reload()).ok).toBe(false);

      const after = await scrape(metricsUrl());
      const extraSeries = after.samples.filter((s) => s.labels.check === 'extra');
      expect(extraSeries).toEqual([]);
      expect(valueOf(after, 'vigil_check_up', { check: 'web' })).toBe(1);
      expect(valueOf(after, 'vigil_reloads_total', { result: 'ok' })).toBe(1);
      expect(valueOf(after, 'vigil_reloads_total', { result: 'failed' })).toBe(1);
      expect(valueOf(after, 'vigil_config_last_reload_success_timestamp_seconds')!).toBeGreaterThan(
        loadedAt,
      );
    } finally {
      web.server.close();
      extra.server.close();
    }
  });
});
