/**
 * WebhookNotifier against real local HTTP receivers: the payload and
 * headers as delivered, retries with backoff, the one warn line when a
 * receiver never answers 2xx, and close() stopping the retries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Transition } from '../../src/health/index.js';
import { createLogger } from '../../src/log/index.js';
import { WebhookNotifier, type WebhookOptions } from '../../src/notify/index.js';
import { startReceiver, until, type Receiver } from './receiver.js';

const AT = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

const DOWN: Transition = {
  check: 'web',
  from: 'up',
  to: 'down',
  reason: 'status 503',
  at: AT,
  results: [
    {
      at: AT - 40,
      ok: false,
      reason: 'status 503',
      durationMs: 12,
      phases: { connectMs: 1, firstByteMs: 10 },
      status: 503,
    },
    { at: AT - 20, ok: false, reason: 'connect ECONNREFUSED', durationMs: 2, phases: {} },
  ],
};

const UP: Transition = {
  ...DOWN,
  from: 'down',
  to: 'up',
  reason: 'status 200',
  at: AT + 90_000,
  results: [],
};

let receiver: Receiver | undefined;
let notifier: WebhookNotifier | undefined;
afterEach(async () => {
  notifier?.close();
  await receiver?.close();
  notifier = undefined;
  receiver = undefined;
});

/** A notifier for one receiver, with its log lines captured as objects. */
function notifierFor(url: string, options: WebhookOptions = {}) {
  const logs: Record<string, unknown>[] = [];
  const log = createLogger('debug', {
    write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const webhooks = [{ url, headers: { authorization: 'Bearer test-token', 'x-team': 'dns' } }];
  notifier = new WebhookNotifier(webhooks, log, { baseDelayMs: 20, ...options });
  return { notifier, logs };
}

describe('WebhookNotifier', () => {
  it('delivers a transition to down once with the payload and configured headers', async () => {
    receiver = await startReceiver([204]);
    const { notifier, logs } = notifierFor(receiver.url);

    await notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/vigil' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer test-token',
      'x-team': 'dns',
    });
    expect(request!.body).toEqual({
      check: 'web',
      from: 'up',
      to: 'down',
      at: '2024-01-02T03:04:05.678Z',
      reason: 'status 503',
      results: [
        {
          at: '2024-01-02T03:04:05.638Z',
          ok: false,
          reason: 'status 503',
          durationMs: 12,
          phases: { connectMs: 1, firstByteMs: 10 },
          status: 503,
        },
        {
          at: '2024-01-02T03:04:05.658Z',
          ok: false,
          reason: 'connect ECONNREFUSED',
          durationMs: 2,
          phases: {},
        },
      ],
      records: [],
    });
    expect(logs.filter((l) => l.msg === 'webhook sent')).toMatchObject([
      { level: 'debug', check: 'web', attempts: 1, url: receiver.url },
    ]);
  });

  it('sends downForMs on recovery after a known transition to down', async () => {
    receiver = await startReceiver([200]);
    const { notifier } = notifierFor(receiver.url);

    await notifier.notify(DOWN);
    await notifier.notify(UP);
    await notifier.notify(UP);

    const bodies = receiver.requests.map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => [b.to, b.downForMs])).toEqual([
      ['down', undefined],
      ['up', 90_000],
      // A second recovery without a down in between has no known start.
      ['up', undefined],
    ]);
  });

  it('retries with backoff until a 2xx: 500, 500, 200 is three attempts', async () => {
    receiver = await startReceiver([500, 500, 200]);
    const { notifier, logs } = notifierFor(receiver.url, { baseDelayMs: 20 });

    await notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(3);
    const [first, second, third] = receiver.requests.map((r) => r.atMs);
    // Waits of 20 ms then 40 ms; timers never fire early.
    expect(second! - first!).toBeGreaterThanOrEqual(19);
    expect(third! - second!).toBeGreaterThanOrEqual(39);
    expect(logs.filter((l) => l.msg === 'webhook failed')).toEqual([]);
    expect(logs.find((l) => l.msg === 'webhook sent')).toMatchObject({ attempts: 3 });
  });

  it('logs one webhook failed warn after maxAttempts when the receiver always fails', async () => {
    receiver = await startReceiver([502]);
    const { notifier, logs } = notifierFor(`${receiver.url}?token=secret`, {
      maxAttempts: 3,
      baseDelayMs: 5,
    });

    await notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(3);
    const failed = logs.filter((l) => l.msg === 'webhook failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'warn',
      url: receiver.url,
      check: 'web',
      attempts: 3,
      reason: 'status 502',
    });
  });

  it('reports a network error as the reason when nothing listens', async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const { notifier, logs } = notifierFor(url, { maxAttempts: 2, baseDelayMs: 5 });

    await notifier.notify(DOWN);

    expect(logs.find((l) => l.msg === 'webhook failed')).toMatchObject({
      attempts: 2,
      reason: 'connect ECONNREFUSED',
    });
  });

  it('counts a redirect as a failure instead of following it', async () => {
    receiver = await startReceiver([307]);
    const { notifier, logs } = notifierFor(receiver.url, { maxAttempts: 2, baseDelayMs: 5 });

    await notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(2);
    expect(logs.find((l) => l.msg === 'webhook failed')).toMatchObject({ reason: 'status 307' });
  });

  it('returns from notify before the webhook is delivered', async () => {
    receiver = await startReceiver([204]);
    const { notifier } = notifierFor(receiver.url);

    const delivered = notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(0);
    await delivered;
    expect(receiver.requests).toHaveLength(1);
  });

  it('stops retrying once closed, without a failure log', async () => {
    receiver = await startReceiver([500]);
    const { notifier, logs } = notifierFor(receiver.url, { maxAttempts: 5, baseDelayMs: 200 });

    const delivered = notifier.notify(DOWN);
    await until(() => receiver!.requests.length === 1);
    notifier.close();
    await delivered;
    await new Promise((r) => setTimeout(r, 400));

    expect(receiver.requests).toHaveLength(1);
    expect(logs.filter((l) => l.msg === 'webhook failed')).toEqual([]);
  });

  it('sends to the new list after update', async () => {
    receiver = await startReceiver([204]);
    const { notifier } = notifierFor('http://127.0.0.1:9/unused');
    notifier.update([{ url: receiver.url, headers: {} }]);

    await notifier.notify(DOWN);

    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
  });
});
