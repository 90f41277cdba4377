/**
 * /status from a running server: a real local HTTP target that goes down
 * shows as down with its reason and history; zones and query counts follow
 * real dig queries; a reload with an unrelated change keeps the check's
 * state and history, in /status and in /metrics alike.
 */
import type http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../src/http/index.js';
import { dig } from '../support/dig.js';
import { MINIMAL_ZONE as ZONE, httpTarget, quickCheckYaml, until } from '../support/health.js';
import { scrape, valueOf } from '../support/metrics.js';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';

async function getStatus(vigil: VigilUnderTest): Promise<StatusDocument> {
  const res = await fetch(`http://127.0.0.1:${vigil.server.httpAddress!.port}/status`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await res.json()) as StatusDocument;
}

function closeServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

describe('GET /status', () => {
  let vigil: VigilUnderTest | undefined;
  afterEach(async () => {
    await vigil?.stop();
    vigil = undefined;
  });

  it('shows a check that went down, with its reason and history', async () => {
    const { server, port } = await httpTarget();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      { serverYaml: '  http: 127.0.0.1:0', mainYaml: quickCheckYaml(port).join('\n') },
    );
    const health = vigil.server.health;
    await until(() => (health.state('web')?.history.length ?? 0) >= 1);

    const up = await getStatus(vigil);
    expect(up.checks).toMatchObject([
      {
        name: 'web',
        type: 'http',
        host: 'web.example.net',
        target: `127.0.0.1:${port}`,
        state: 'up',
        failures: 0,
      },
    ]);
    expect(up.checks[0]!.history[0]).toMatchObject({ ok: true, reason: 'status 200', status: 200 });
    expect(up.checks[0]!.history[0]!.phases.connectMs).toBeGreaterThanOrEqual(0);

    await closeServer(server);
    await until(() => health.state('web')?.state === 'down');
    const down = await getStatus(vigil);
    const web = down.checks[0]!;
    expect(web).toMatchObject({ state: 'down', passes: 0, skippedTurns: 0 });
    expect(web.failures).toBeGreaterThanOrEqual(1);
    expect(web.history.at(-1)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    expect(web.history.length).toBeGreaterThanOrEqual(2);
    // `since` is the end of the deciding probe, an ISO time after the first result.
    expect(Date.parse(web.since)).toBeGreaterThan(Date.parse(web.history[0]!.at));
    expect(new Date(web.since).toISOString()).toBe(web.since);
  });

  it('lists zones, version, config file, an empty records list and query counts', async () => {
    vigil = await startVigil({ 'example.com.yaml': ZONE }, { serverYaml: '  http: 127.0.0.1:0' });
    const server = { host: '127.0.0.1', port: vigil.port };
    expect((await dig(server, 'ns1.example.com', 'A')).rcode).toBe('NOERROR');
    expect((await dig(server, 'nope.example.com', 'A')).rcode).toBe('NXDOMAIN');
    expect((await dig(server, 'ns1.example.com', 'A', { tcp: true })).rcode).toBe('NOERROR');

    const status = await getStatus(vigil);
    expect(status).toMatchObject({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      configFile: join(vigil.dir, 'vigil.yaml'),
      zones: [{ zone: 'example.com.', serial: expect.any(Number), rrsets: 3 }],
      checks: [],
      records: [],
      queries: { malformed: 0 },
    });
    expect(status.queries.udp).toMatchObject({ NOERROR: 1, NXDOMAIN: 1, SERVFAIL: 0, REFUSED: 0 });
    expect(status.queries.tcp).toMatchObject({ NOERROR: 1, NXDOMAIN: 0 });
    expect(Date.parse(status.startedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps state and history across a reload with an unrelated change', async () => {
    const { server, port } = await httpTarget();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      { serverYaml: '  http: 127.0.0.1:0', mainYaml: quickCheckYaml(port).join('\n') },
    );
    const health = vigil.server.health;
    const metricsUrl = `http://127.0.0.1:${vigil.server.httpAddress!.port}/metrics`;
    await until(() => (health.state('web')?.history.length ?? 0) >= 1);
    await closeServer(server);
    await until(() => health.state('web')?.state === 'down');

    const before = (await getStatus(vigil)).checks[0]!;
    const metricsBefore = await scrape(metricsUrl);
    const zoneFile = join(vigil.dir, 'zones', 'example.com.yaml');
    await writeFile(
      zoneFile,
      `${await readFile(zoneFile, 'utf8')}www:\n  type: A\n  value: 192.0.2.80\n`,
    );
    expect((await vigil.server.reload()).ok).toBe(true);

    const after = await getStatus(vigil);
    const web = after.checks[0]!;
    expect(after.zones[0]!.rrsets).toBe(4);
    expect(web).toMatchObject({ name: 'web', state: 'down', since: before.since });
    expect(web.history.length).toBeGreaterThanOrEqual(before.history.length);
    expect(web.history.slice(0, before.history.length)).toEqual(before.history);

    const metrics = await scrape(metricsUrl);
    expect(valueOf(metrics, 'vigil_check_up', { check: 'web' })).toBe(0);
    expect(valueOf(metrics, 'vigil_check_transitions_total', { check: 'web', to: 'down' })).toBe(1);
    const count = (m: typeof metrics) =>
      valueOf(m, 'vigil_probe_duration_seconds_count', { check: 'web' })!;
    expect(count(metrics)).toBeGreaterThanOrEqual(count(metricsBefore));
    expect(count(metrics)).toBeGreaterThanOrEqual(web.history.length);
    expect(valueOf(metrics, 'vigil_reloads_total', { result: 'ok' })).toBe(1);
  });
});
