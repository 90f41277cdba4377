/**
 * The executable as operators run it: probes in the worker thread, state
 * and answers in the main one. A real HTTP target stops, dig sees the
 * failover CNAME move; a SIGHUP with an unrelated change keeps the state;
 * the target returns and so does the answer. /status shows the check's
 * history as the worker reported it.
 */
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../support/dig.js';
import { quickCheckYaml } from '../support/health.js';
import { spawnVigil, type VigilProcess } from '../support/process.js';
import { writeConfig } from '../support/vigil.js';

const ZONE = `'':
  type: NS
  value: ns1.example.com.
ns1: {type: A, value: 192.0.2.53}
www:
  type: CNAME
  failover:
    - {value: eu.example.net., check: web}
    - {value: us.example.net.}
`;

async function cnameOf(vigil: VigilProcess): Promise<string | undefined> {
  const r = await dig({ host: '127.0.0.1', port: vigil.port }, 'www.example.com', 'CNAME');
  return r.answer[0]?.data;
}

async function eventually(test: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('failover in the vigil process (probes in a worker thread)', () => {
  let dir: string;
  let target: http.Server;
  let port = 0;
  let vigil: VigilProcess;
  let httpPort = 0;

  const listen = async () => {
    target = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(port, '127.0.0.1', () => resolve()));
    port = (target.address() as { port: number }).port;
  };
  const mainYaml = () => quickCheckYaml(port).join('\n');

  beforeAll(async () => {
    await listen();
    dir = await mkdtemp(join(tmpdir(), 'vigil-process-'));
    const main = await writeConfig(
      dir,
      { 'example.com.yaml': ZONE },
      { serverYaml: '  http: 127.0.0.1:0', mainYaml: mainYaml() },
    );
    vigil = await spawnVigil(main);
    const started = vigil.logs.find((l) => l.msg === 'started') as { http?: { port: number } };
    httpPort = started.http!.port;
  });
  afterAll(async () => {
    await vigil?.stop();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('moves the answer when the target stops, keeps it over a reload, and moves it back', async () => {
    type Status = { checks: { name: string; state: string; history: { ok: boolean }[] }[] };
    const status = async () =>
      (await (await fetch(`http://127.0.0.1:${httpPort}/status`)).json()) as Status;
    // The worker's first result, a pass, has reached the main thread.
    await eventually(async () => (await status()).checks[0]!.history.length > 0);
    expect(await cnameOf(vigil)).toBe('eu.example.net.');

    await new Promise<void>((resolve) => {
      target.close(() => resolve());
      target.closeAllConnections();
    });
    await vigil.waitForLog((l) => l.msg === 'check down' && l.check === 'web');
    expect(await cnameOf(vigil)).toBe('us.example.net.');
    expect(vigil.logs.find((l) => l.msg === 'answer changed')).toMatchObject({
      record: 'www.example.com.',
      to: ['us.example.net.'],
      reason: 'web down',
    });

    const web = (await status()).checks.find((c) => c.name === 'web')!;
    expect(web.state).toBe('down');
    expect(web.history.some((h) => h.ok)).toBe(true);
    expect(web.history.at(-1)!.ok).toBe(false);

    await writeFile(
      join(dir, 'zones', 'example.com.yaml'),
      `${ZONE}extra: {type: TXT, value: x}\n`,
    );
    vigil.proc.kill('SIGHUP');
    await vigil.waitForLog((l) => l.msg === 'reload');
    expect(await cnameOf(vigil)).toBe('us.example.net.');

    await listen();
    await vigil.waitForLog((l) => l.msg === 'check up' && l.check === 'web');
    expect(await cnameOf(vigil)).toBe('eu.example.net.');
    expect(vigil.logs.filter((l) => l.msg === 'probe worker failed')).toEqual([]);
  });
});
