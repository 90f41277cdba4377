/**
 * `vigil probe` as an operator runs it: the compiled CLI probes real local
 * HTTP and TCP servers once and reports verdict, reason, timings and status.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINIMAL_ZONE as ZONE } from './support/health.js';
import { runCli as run } from './support/process.js';
import { writeConfig } from './support/vigil.js';

/** A local HTTP server answering every request with `status`. */
async function listenHttp(status: number): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(status).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A port that was just free on 127.0.0.1 and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

const httpCheck = (name: string, port: number) => [
  `  ${name}:`,
  '    type: http',
  '    host: web.example.net',
  '    address: 127.0.0.1',
  `    port: ${port}`,
  '    timeout: 2s',
];

const tcpCheck = (name: string, port: number) => [
  `  ${name}:`,
  '    type: tcp',
  '    host: db.example.net',
  '    address: 127.0.0.1',
  `    port: ${port}`,
  '    timeout: 2s',
];

describe('vigil probe', () => {
  let dir: string;
  const servers: Server[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-probe-'));
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const configWith = (checks: string[][]) =>
    writeConfig(
      dir,
      { 'example.com.yaml': ZONE },
      { mainYaml: ['checks:', ...checks.flat()].join('\n') },
    );

  it('prints pass, the reason and every phase timing and exits 0 for a passing check', async () => {
    const web = await listenHttp(200);
    servers.push(web);
    await configWith([httpCheck('web', portOf(web))]);
    const { status, stdout, stderr } = await run(['probe', 'web', '--config', 'vigil.yaml'], dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^web {2}pass {2}status 200 {2}total \d+\.\d ms {2}dns (-|\d+\.\d) connect \d+\.\d tls - first-byte \d+\.\d\n$/,
    );
  });

  it('prints fail with the HTTP status and exits 1 for a failing check', async () => {
    const web = await listenHttp(503);
    servers.push(web);
    await configWith([httpCheck('web', portOf(web))]);
    const { status, stdout } = await run(['probe', 'web', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^web {2}fail {2}status 503 {2}total /);
  });

  it('exits 1 when a tcp check finds its port closed', async () => {
    await configWith([tcpCheck('db', await closedPort())]);
    const { status, stdout } = await run(['probe', 'db', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^db {2}fail {2}connect ECONNREFUSED {2}total /);
  });

  it('exits 2 for an unknown check name and lists the known ones', async () => {
    await configWith([tcpCheck('db', 1), httpCheck('web', 1)]);
    const { status, stdout, stderr } = await run(['probe', 'mail', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('vigil: no check named "mail"; known checks: db, web\n');
  });

  it('exits 2 on a broken configuration and prints the problem with file:line:col', async () => {
    await configWith([['  web:', '    type: gopher', '    host: web.example.net']]);
    const { status, stdout, stderr } = await run(['probe', 'web', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^vigil\.yaml:\d+:\d+: checks\.web\.type: .*gopher/m);
    expect(stderr).toMatch(/^vigil: 1 problem\(s\), nothing loaded$/m);
  });

  it('exits 2 without a check name or with both a name and --all', async () => {
    await configWith([tcpCheck('db', 1)]);
    for (const args of [['probe'], ['probe', 'db', '--all']]) {
      const { status, stderr } = await run([...args, '--config', 'vigil.yaml'], dir);
      expect(status).toBe(2);
      expect(stderr).toBe('vigil: probe takes one check name or --all\n');
    }
  });

  it('--all probes every check and prints an aligned table, exiting 1 when one fails', async () => {
    const web = await listenHttp(200);
    servers.push(web);
    await configWith([httpCheck('web', portOf(web)), tcpCheck('db', await closedPort())]);
    const { status, stdout } = await run(['probe', '--all', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(1);

    const lines = stdout.trimEnd().split('\n');
    const ms = expect.stringMatching(/^\d+\.\d$/);
    expect(lines.map((line) => line.split(/ {2,}/))).toEqual([
      ['check', 'type', 'verdict', 'reason', 'total ms', 'dns', 'connect', 'tls', 'first-byte'],
      ['web', 'http', 'pass', 'status 200', ms, expect.any(String), ms, '-', ms],
      ['db', 'tcp', 'fail', 'connect ECONNREFUSED', ms, '-', '-', '-', '-'],
    ]);
    // Text columns start where their header does.
    for (const header of ['type', 'verdict', 'reason']) {
      const column = lines[0]!.indexOf(header);
      expect(lines.map((line) => line[column - 1] === ' ' && line[column] !== ' ')).toEqual([
        true,
        true,
        true,
      ]);
    }
    // Every row ends where the header does: numbers are right-aligned.
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('--all exits 0 when every check passes', async () => {
    const web = await listenHttp(200);
    servers.push(web);
    await configWith([httpCheck('web', portOf(web)), httpCheck('www', portOf(web))]);
    const { status, stdout } = await run(['probe', '--all', '--config', 'vigil.yaml'], dir);
    expect(status).toBe(0);
    expect(stdout.match(/ pass /g)).toHaveLength(2);
  });
});
