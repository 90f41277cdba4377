/**
 * The running server probes its checks: a real local HTTP target that goes
 * down and comes back gives one log line per transition, and a reload that
 * leaves a check unchanged keeps its state and history.
 */
import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MINIMAL_ZONE as ZONE,
  httpTarget as target,
  quickCheckYaml,
  until,
} from './support/health.js';
import { startVigil, type VigilUnderTest } from './support/vigil.js';

describe('health checks in the running server', () => {
  let vigil: VigilUnderTest | undefined;
  afterEach(async () => vigil?.stop());

  it('logs one line per transition and keeps state over a reload', async () => {
    const { server, port } = await target();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      {
        mainYaml: quickCheckYaml(port).join('\n'),
      },
    );
    const lines = (msg: string) => vigil!.logs.filter((l) => l.msg === msg);
    const health = vigil.server.health;

    await until(() => (health.state('web')?.history.length ?? 0) >= 1);
    expect(health.state('web')).toMatchObject({ state: 'up' });

    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await until(() => lines('check down').length === 1);
    expect(lines('check down')[0]).toMatchObject({
      level: 'warn',
      module: 'health',
      check: 'web',
      from: 'up',
      to: 'down',
      reason: expect.stringContaining('ECONNREFUSED'),
    });

    const before = health.state('web')!.history.length;
    await writeFile(
      join(vigil.dir, 'zones', 'example.com.yaml'),
      `${ZONE}www:\n  type: A\n  value: 192.0.2.80\n`,
    );
    const outcome = await vigil.server.reload();
    expect(outcome.ok).toBe(true);
    expect(health.state('web')).toMatchObject({ state: 'down' });
    expect(health.state('web')!.history.length).toBeGreaterThanOrEqual(before);

    const back = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', () => resolve()));
    try {
      await until(() => lines('check up').length === 1);
      expect(lines('check up')[0]).toMatchObject({ level: 'info', check: 'web', to: 'up' });
      expect(lines('check down')).toHaveLength(1);
    } finally {
      back.close();
    }
  });
});
