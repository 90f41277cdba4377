import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { APEX, writeConfig } from './helpers.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const FULL = `server:
  listen: ["127.0.0.1:5353"]
  http: 127.0.0.1:8053
  probe_concurrency: 16
checks:
  eu-web:
    type: https
    host: EU-LB.example.net.
    address: 2001:DB8:0:0::10
    path: /health
    method: HEAD
    interval: 10s
    timeout: 3s
    rise: 1
    fall: 5
    initial: down
    expect:
      status: [200-299, 301]
      body: ok
    headers: {User-Agent: vigil-probe}
    tls: {verify: true, servername: www.example.net, ca: certs/ca.pem}
  plain:
    type: http
    host: www.example.net
  smtp:
    type: tcp
    host: mail.example.net
    port: 25
    send: "EHLO vigil.example.net\\r\\n"
    expect: "220"
    tls: {verify: false}
  ns:
    type: dns
    host: ns1.example.net
    address: 192.0.2.53
    query: {name: www.example.com., type: AAAA}
    expect: {rcode: NOERROR, answer: "2001:db8:0::1"}
notify:
  webhooks:
    - url: https://hooks.example.net/vigil
      headers: {Authorization: Bearer x}
    - url: http://hooks.example.net
`;

async function loadFull() {
  const file = await writeConfig({ 'example.com.yaml': APEX }, FULL);
  await mkdir(join(dirname(file), 'certs'));
  await writeFile(join(dirname(file), 'certs', 'ca.pem'), PEM);
  return { file, config: await loadConfig(file) };
}

describe('checks: a full example', () => {
  it('produces the exact CheckConfig objects', async () => {
    const { file, config } = await loadFull();
    const at = (line: number) => ({ file, line, col: 3 });
    expect(config.checks).toStrictEqual([
      {
        name: 'eu-web',
        type: 'https',
        host: 'eu-lb.example.net',
        address: '2001:db8::10',
        port: 443,
        intervalMs: 10_000,
        timeoutMs: 3000,
        rise: 1,
        fall: 5,
        initial: 'down',
        source: at(6),
        path: '/health',
        method: 'HEAD',
        expectStatus: [
          [200, 299],
          [301, 301],
        ],
        expectBody: 'ok',
        headers: { 'User-Agent': 'vigil-probe' },
        tls: { verify: true, servername: 'www.example.net', ca: PEM },
      },
      {
        name: 'plain',
        type: 'http',
        host: 'www.example.net',
        address: undefined,
        port: 80,
        intervalMs: 30_000,
        timeoutMs: 5000,
        rise: 2,
        fall: 3,
        initial: 'up',
        source: at(22),
        path: '/',
        method: 'GET',
        expectStatus: [[200, 399]],
        expectBody: undefined,
        headers: {},
        tls: undefined,
      },
      {
        name: 'smtp',
        type: 'tcp',
        host: 'mail.example.net',
        address: undefined,
        port: 25,
        intervalMs: 30_000,
        timeoutMs: 5000,
        rise: 2,
        fall: 3,
        initial: 'up',
        source: at(25),
        send: 'EHLO vigil.example.net\r\n',
        expect: '220',
        tls: { verify: false, servername: undefined, ca: undefined },
      },
      {
        name: 'ns',
        type: 'dns',
        host: 'ns1.example.net',
        address: '192.0.2.53',
        port: 53,
        intervalMs: 30_000,
        timeoutMs: 5000,
        rise: 2,
        fall: 3,
        initial: 'up',
        source: at(32),
        query: { name: 'www.example.com', type: 'AAAA' },
        expectRcode: 'NOERROR',
        expectAnswer: '2001:db8::1',
      },
    ]);
  });

  it('reads server.probe_threads', async () => {
    const main = 'server:\n  listen: ["127.0.0.1:5353"]\n  probe_threads: 2\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main));
    expect(config.server.probeThreads).toBe(2);
  });

  it('reads server.http, probe_concurrency and notify', async () => {
    const { config } = await loadFull();
    expect(config.server.http).toEqual({ host: '127.0.0.1', port: 8053, family: 4 });
    expect(config.server.probeConcurrency).toBe(16);
    expect(config.notify).toStrictEqual({
      webhooks: [
        { url: 'https://hooks.example.net/vigil', headers: { Authorization: 'Bearer x' } },
        { url: 'http://hooks.example.net/', headers: {} },
      ],
    });
    expect(Object.isFrozen(config.checks[0])).toBe(true);
  });

  it('warns when certificate verification is off', async () => {
    const { file, config } = await loadFull();
    expect(config.warnings).toEqual([
      `${file}:31:19: checks.smtp.tls.verify: certificate verification is off`,
    ]);
  });

  it('gives https checks default TLS settings and a dns check the host A question', async () => {
    const main =
      'server:\n  listen: ["127.0.0.1:0"]\nchecks:\n' +
      '  s: {type: https, host: a.example.net}\n  d: {type: dns, host: ns1.example.net}\n';
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }, main));
    const [s, d] = config.checks;
    expect(s?.type === 'https' && s.tls).toStrictEqual({
      verify: true,
      servername: undefined,
      ca: undefined,
    });
    expect(d?.type === 'dns' && [d.query, d.expectRcode, d.expectAnswer]).toStrictEqual([
      { name: 'ns1.example.net', type: 'A' },
      'NOERROR',
      undefined,
    ]);
  });

  it('defaults to no checks, no webhooks, no status API and no warnings', async () => {
    const config = await loadConfig(await writeConfig({ 'example.com.yaml': APEX }));
    expect(config.checks).toEqual([]);
    expect(config.notify).toEqual({ webhooks: [] });
    expect(config.server.http).toBeUndefined();
    expect(config.server.probeConcurrency).toBe(64);
    expect(config.server.probeThreads).toBe(1);
    expect(config.warnings).toEqual([]);
  });
});
