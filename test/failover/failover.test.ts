/**
 * Failover records end to end: real HTTP targets, vigil probing them, dig
 * asking vigil. Stopping targets moves the CNAME, A and apex ALIAS answers;
 * every when_all_down mode answers as documented; a target that comes back
 * takes its answers back.
 */
import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, type DigResult } from '../support/dig.js';
import { checkYaml, until } from '../support/health.js';
import { scrape, valueOf } from '../support/metrics.js';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';

/** A local HTTP target that can be stopped and started again on its port. */
class Target {
  server: http.Server | undefined;
  port = 0;

  async start(): Promise<void> {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

const ZONE = `
'':
  - type: NS
    values: [ns1.example.com.]
  - type: MX
    value: {preference: 10, exchange: mail.example.com.}
  - type: ALIAS
    ttl: 60
    failover:
      - {value: eu.example.com., check: primary}
      - {value: us.example.com., check: secondary}
ns1: {type: A, value: 192.0.2.53}
eu:
  - {type: A, ttl: 30, value: 192.0.2.1}
  - {type: AAAA, value: 2001:db8::1}
us: {type: A, ttl: 120, value: 198.51.100.1}
www:
  type: CNAME
  ttl: 60
  failover:
    - {value: eu.example.com., check: primary}
    - {value: us.example.com., check: secondary}
api:
  type: A
  ttl: 30
  select: all
  failover:
    - {value: 192.0.2.10, check: primary}
    - {value: 192.0.2.11, check: secondary}
    - {value: 198.51.100.7}
down-first:
  type: A
  failover:
    - {value: 192.0.2.21, check: primary}
    - {value: 192.0.2.22, check: secondary}
down-all:
  type: A
  when_all_down: all
  failover:
    - {value: 192.0.2.31, check: primary}
    - {value: 192.0.2.32, check: secondary}
down-nodata:
  type: A
  when_all_down: nodata
  failover:
    - {value: 192.0.2.41, check: primary}
    - {value: 192.0.2.42, check: secondary}
down-servfail:
  type: AAAA
  when_all_down: servfail
  failover:
    - {value: 2001:db8::51, check: primary}
    - {value: 2001:db8::52, check: secondary}
`;

const data = (r: DigResult, type: string) =>
  r.answer
    .filter((rr) => rr.type === type)
    .map((rr) => rr.data)
    .sort();

describe('failover records', () => {
  const primary = new Target();
  const secondary = new Target();
  let vigil: VigilUnderTest;
  const ask = (name: string, type: string) => dig(vigil, name, type);
  const changes = () => vigil.logs.filter((l) => l.msg === 'answer changed');

  beforeAll(async () => {
    await primary.start();
    await secondary.start();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      {
        serverYaml: '  http: 127.0.0.1:0',
        mainYaml: [
          'checks:',
          ...checkYaml('primary', primary.port),
          ...checkYaml('secondary', secondary.port),
        ].join('\n'),
      },
    );
    await until(() => (vigil.server.health.state('secondary')?.history.length ?? 0) > 0);
  });
  afterAll(async () => {
    await vigil?.stop();
    await primary.stop();
    await secondary.stop();
  });

  it('answers the first healthy target while every target is up', async () => {
    const www = await ask('www.example.com', 'A');
    expect(www.rcode).toBe('NOERROR');
    expect(www.answer[0]).toMatchObject({ type: 'CNAME', data: 'eu.example.com.', ttl: 60 });
    expect(data(www, 'A')).toEqual(['192.0.2.1']);

    const apex = await ask('example.com', 'A');
    expect(apex.flags).toContain('aa');
    // The flattened TTL is the lower of the ALIAS's 60 and the target's 30.
    expect(apex.answer).toEqual([
      { name: 'example.com.', ttl: 30, class: 'IN', type: 'A', data: '192.0.2.1' },
    ]);
    expect(data(await ask('example.com', 'AAAA'), 'AAAA')).toEqual(['2001:db8::1']);
    // Other types at the ALIAS name are answered as usual.
    expect(data(await ask('example.com', 'MX'), 'MX')).toEqual(['10 mail.example.com.']);
    expect(data(await ask('api.example.com', 'A'), 'A')).toEqual([
      '192.0.2.10',
      '192.0.2.11',
      '198.51.100.7',
    ]);
    expect(changes()).toEqual([]);
  });

  it('moves every answer to the secondary when the primary stops', async () => {
    await primary.stop();
    await until(() => vigil.server.health.state('primary')?.state === 'down');

    const www = await ask('www.example.com', 'A');
    expect(www.answer[0]).toMatchObject({ type: 'CNAME', data: 'us.example.com.' });
    expect(data(www, 'A')).toEqual(['198.51.100.1']);
    const apex = await ask('example.com', 'A');
    expect(apex.answer).toEqual([
      { name: 'example.com.', ttl: 60, class: 'IN', type: 'A', data: '198.51.100.1' },
    ]);
    // us has no AAAA: an empty answer, not NXDOMAIN.
    const apex6 = await ask('example.com', 'AAAA');
    expect(apex6.rcode).toBe('NOERROR');
    expect(apex6.answer).toEqual([]);
    expect(data(await ask('api.example.com', 'A'), 'A')).toEqual(['192.0.2.11', '198.51.100.7']);

    // /status names the answer, the reason and the targets; /metrics the index.
    const api = `http://127.0.0.1:${vigil.server.httpAddress!.port}`;
    const status = (await (await fetch(`${api}/status`)).json()) as {
      records: { name: string; type: string }[];
    };
    expect(status.records.find((r) => r.name === 'www.example.com.')).toMatchObject({
      zone: 'example.com.',
      type: 'CNAME',
      answer: ['us.example.com.'],
      active: 1,
      reason: 'primary down',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      targets: [
        { value: 'eu.example.com.', check: 'primary', state: 'down' },
        { value: 'us.example.com.', check: 'secondary', state: 'up' },
      ],
    });
    expect(status.records.find((r) => r.type === 'ALIAS')).toMatchObject({
      name: 'example.com.',
      answer: ['198.51.100.1'],
      active: 1,
    });
    const metrics = await scrape(`${api}/metrics`);
    const active = (record: string, type: string) =>
      valueOf(metrics, 'vigil_failover_active_target', { record, type });
    expect(active('www.example.com.', 'CNAME')).toBe(1);
    expect(active('api.example.com.', 'A')).toBe(1);
    expect(active('down-first.example.com.', 'A')).toBe(1);

    const www2 = changes().find((l) => l.record === 'www.example.com.');
    expect(www2).toMatchObject({
      level: 'info',
      module: 'failover',
      type: 'CNAME',
      from: ['eu.example.com.'],
      to: ['us.example.com.'],
      reason: 'primary down',
    });
  });

  it('answers each when_all_down mode when every target is down', async () => {
    await secondary.stop();
    await until(() => vigil.server.health.state('secondary')?.state === 'down');

    expect(data(await ask('down-first.example.com', 'A'), 'A')).toEqual(['192.0.2.21']);
    expect(data(await ask('down-all.example.com', 'A'), 'A')).toEqual(['192.0.2.31', '192.0.2.32']);
    const nodata = await ask('down-nodata.example.com', 'A');
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answer).toEqual([]);
    expect(nodata.authority[0]).toMatchObject({ type: 'SOA' });
    const servfail = await ask('down-servfail.example.com', 'AAAA');
    expect(servfail.rcode).toBe('SERVFAIL');
    expect(servfail.raw).toMatch(/EDE: 0 \(Other\): \(every failover target is down\)/);
    // The target without a check stays healthy.
    expect(data(await ask('api.example.com', 'A'), 'A')).toEqual(['198.51.100.7']);
    // The CNAME fails open to its first target.
    const www = await ask('www.example.com', 'CNAME');
    expect(data(www, 'CNAME')).toEqual(['eu.example.com.']);
  });

  it('keeps answers and health over a reload with an unrelated change', async () => {
    await writeFile(
      join(vigil.dir, 'zones', 'example.com.yaml'),
      `${ZONE}extra: {type: TXT, value: reloaded}\n`,
    );
    const before = changes().length;
    expect((await vigil.server.reload()).ok).toBe(true);
    expect(vigil.server.health.state('primary')?.state).toBe('down');
    expect(data(await ask('down-all.example.com', 'A'), 'A')).toEqual(['192.0.2.31', '192.0.2.32']);
    expect((await ask('down-servfail.example.com', 'AAAA')).rcode).toBe('SERVFAIL');
    expect(data(await ask('extra.example.com', 'TXT'), 'TXT')).toEqual(['"reloaded"']);
    expect(changes().length).toBe(before);
  });

  it('takes the answers back when the primary returns', async () => {
    await primary.start();
    await until(() => vigil.server.health.state('primary')?.state === 'up');

    const www = await ask('www.example.com', 'A');
    expect(www.answer[0]).toMatchObject({ type: 'CNAME', data: 'eu.example.com.' });
    expect(data(await ask('example.com', 'A'), 'A')).toEqual(['192.0.2.1']);
    expect(data(await ask('example.com', 'AAAA'), 'AAAA')).toEqual(['2001:db8::1']);
    expect((await ask('down-servfail.example.com', 'AAAA')).rcode).toBe('NOERROR');
    expect(data(await ask('down-nodata.example.com', 'A'), 'A')).toEqual(['192.0.2.41']);
  });
});
