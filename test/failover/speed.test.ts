/**
 * How fast answers follow health, measured with a real HTTP target:
 * - from a check's verdict (the end of the deciding probe) to the first
 *   reply that reflects it (raw UDP queries sent back to back while the
 *   check turns), under 10 ms;
 * - end to end with interval 1s, timeout 500ms, fall 2: a target that stops
 *   answering is out of dig's answers within 3 s, and back within `rise`
 *   intervals (plus one for the phase of the schedule) after it recovers.
 * The measured figures are printed for the record.
 */
import http from 'node:http';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig } from '../support/dig.js';
import { until } from '../support/health.js';
import { buildQuery } from '../support/raw.js';
import { startVigil, type VigilUnderTest } from '../support/vigil.js';

const ZONE = `
'':
  type: NS
  value: ns1.example.com.
ns1: {type: A, value: 192.0.2.53}
www:
  type: CNAME
  ttl: 5
  failover:
    - {value: eu.example.net., check: web}
    - {value: us.example.net.}
`;

const US = Buffer.from('\x02us\x07example\x03net\x00', 'latin1');

/** Sends queries back to back over one socket, noting when each reply arrived. */
class Poller {
  readonly replies: { atMs: number; failedOver: boolean }[] = [];
  readonly #socket = dgram.createSocket('udp4');
  readonly #query = buildQuery({ name: 'www.example.com', type: 1 });
  #running = true;

  constructor(port: number) {
    this.#socket.on('message', (reply) => {
      this.replies.push({ atMs: Date.now(), failedOver: reply.includes(US) });
      if (this.#running) this.#socket.send(this.#query, port, '127.0.0.1');
    });
    this.#socket.send(this.#query, port, '127.0.0.1');
  }

  stop(): void {
    this.#running = false;
    this.#socket.close();
  }
}

describe('failover speed', () => {
  let server: http.Server;
  let port = 0;
  let vigil: VigilUnderTest;
  const listen = async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    port = (server.address() as { port: number }).port;
  };
  const stopTarget = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const answer = async () => {
    const r = await dig(vigil, 'www.example.com', 'CNAME');
    return r.answer[0]?.data;
  };

  beforeAll(async () => {
    await listen();
    vigil = await startVigil(
      { 'example.com.yaml': ZONE },
      {
        mainYaml: [
          'checks:',
          '  web:',
          '    type: http',
          '    host: eu.example.net',
          '    address: 127.0.0.1',
          `    port: ${port}`,
          '    interval: 1s',
          '    timeout: 500ms',
          '    rise: 2',
          '    fall: 2',
        ].join('\n'),
      },
    );
    await until(() => (vigil.server.health.state('web')?.history.length ?? 0) > 0);
  });
  afterAll(async () => vigil?.stop());

  it('leaves the answers within 3 s of the target stopping, the reply after the verdict already changed', async () => {
    expect(await answer()).toBe('eu.example.net.');
    const poller = new Poller(vigil.port);
    const stoppedAt = Date.now();
    await stopTarget();

    let outAt = 0;
    while (outAt === 0) {
      if ((await answer()) === 'us.example.net.') outAt = Date.now();
      else if (Date.now() - stoppedAt > 5000) break;
    }
    poller.stop();
    const verdictAt = vigil.server.health.state('web')!.since;
    const changedAt = poller.replies.findIndex((r) => r.failedOver);
    const firstChanged = poller.replies[changedAt]!;
    const verdictToAnswerMs = firstChanged.atMs - verdictAt;
    const endToEndMs = outAt - stoppedAt;
    console.log(
      `failover: target stopped -> dig sees the secondary in ${endToEndMs} ms; ` +
        `verdict -> first changed reply ${verdictToAnswerMs.toFixed(1)} ms ` +
        `(${poller.replies.length} replies polled)`,
    );

    expect(outAt).toBeGreaterThan(0);
    expect(endToEndMs).toBeLessThan(3000);
    expect(verdictToAnswerMs).toBeLessThan(10);
    // Once changed, no reply names the old target again (the cache kept nothing stale).
    expect(poller.replies.slice(changedAt).every((r) => r.failedOver)).toBe(true);
  });

  it('takes the target back within rise intervals of its recovery', async () => {
    const startedAt = Date.now();
    await listen();
    let backAt = 0;
    while (backAt === 0) {
      if ((await answer()) === 'eu.example.net.') backAt = Date.now();
      else if (Date.now() - startedAt > 6000) break;
    }
    const recoveryMs = backAt - startedAt;
    console.log(`failover: target restarted -> dig sees it again in ${recoveryMs} ms (rise 2)`);
    expect(backAt).toBeGreaterThan(0);
    // rise 2 at interval 1s: the second pass lands within 2 s of the first
    // probe after the restart, which comes within one interval.
    expect(recoveryMs).toBeLessThan(3000 + 500);
    await stopTarget();
  });
});
