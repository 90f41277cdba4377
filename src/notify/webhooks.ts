/**
 * Posts health transitions to the configured webhooks. `notify()` returns at
 * once; each delivery runs in the background with its own retries, so a slow
 * or dead receiver never holds up probes or queries.
 */
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { WebhookConfig } from '../config/index.js';
import type { Transition } from '../health/index.js';
import type { Logger } from '../log/index.js';
import { buildPayload } from './payload.js';

/** Attempts per delivery, the first included. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Wait before the first retry; it doubles before each later one. */
export const DEFAULT_BASE_DELAY_MS = 500;
/** Time allowed for one attempt, from connect to response head. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The part of `fetch` the notifier uses; tests may hand in their own. */
export type WebhookFetch = (
  url: string,
  init: {
    method: 'POST';
    redirect: 'manual';
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    dispatcher?: Dispatcher;
  },
) => Promise<{ status: number; body: { cancel(): Promise<void> } | null }>;

/** Tuning and test hooks for `WebhookNotifier`. */
export interface WebhookOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  /** Defaults to undici's `fetch`. */
  fetch?: WebhookFetch;
  /** An undici dispatcher (agent) for every request; undici's global one by default. */
  dispatcher?: Dispatcher;
}

/** Sends each transition to every webhook, retrying with exponential backoff. */
export class WebhookNotifier {
  #webhooks: readonly WebhookConfig[];
  readonly #log: Logger;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: WebhookFetch;
  readonly #dispatcher: Dispatcher | undefined;
  /** Aborted by close(): stops attempts in flight and retry waits for good. */
  readonly #closed = new AbortController();
  /** When each check last went down, epoch ms, for `downForMs` on recovery. */
  readonly #downSince = new Map<string, number>();

  constructor(webhooks: readonly WebhookConfig[], log: Logger, options: WebhookOptions = {}) {
    this.#webhooks = webhooks;
    this.#log = log;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.#baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#fetch = options.fetch ?? (undiciFetch as unknown as WebhookFetch);
    this.#dispatcher = options.dispatcher;
  }

  /** Replaces the webhook list; deliveries already under way keep their URL. */
  update(webhooks: readonly WebhookConfig[]): void {
    this.#webhooks = webhooks;
  }

  /**
   * Starts one delivery per webhook and returns without waiting; `records`
   * names the failover records that use the check. The
   * returned promise settles when they have all succeeded or given up; it
   * never rejects, and callers other than tests can ignore it.
   */
  notify(transition: Transition, records: readonly string[] = []): Promise<void> {
    const downForMs = this.#trackDown(transition);
    if (this.#closed.signal.aborted || this.#webhooks.length === 0) return Promise.resolve();
    const body = JSON.stringify(buildPayload(transition, downForMs, records));
    const sends = this.#webhooks.map((hook) => this.#deliver(hook, transition.check, body));
    return Promise.all(sends).then(() => undefined);
  }

  /** Aborts attempts in flight and cancels pending retries; later notifies send nothing. */
  close(): void {
    this.#closed.abort();
  }

  /** Remembers when a check went down; on recovery returns how long ago that was. */
  #trackDown(transition: Transition): number | undefined {
    if (transition.to === 'down') {
      this.#downSince.set(transition.check, transition.at);
      return undefined;
    }
    const since = this.#downSince.get(transition.check);
    this.#downSince.delete(transition.check);
    return since === undefined ? undefined : transition.at - since;
  }

  async #deliver(hook: WebhookConfig, check: string, body: string): Promise<void> {
    const url = redactUrl(hook.url);
    let reason = 'not attempted';
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) {
        // Backoff: base, 2 × base, 4 × base, ... No jitter: one vigil sends few webhooks.
        const waited = await sleep(this.#baseDelayMs * 2 ** (attempt - 2), this.#closed.signal);
        if (!waited) return;
      }

      const started = performance.now();
      reason = await this.#attempt(hook, body);
      if (this.#closed.signal.aborted) return;
      if (reason === '') {
        const durationMs = Math.round(performance.now() - started);
        this.#log.debug({ url, check, attempts: attempt, durationMs }, 'webhook sent');
        return;
      }
    }
    this.#log.warn({ url, check, attempts: this.#maxAttempts, reason }, 'webhook failed');
  }

  /** One POST; returns '' on a 2xx status, otherwise why it failed. */
  async #attempt(hook: WebhookConfig, body: string): Promise<string> {
    const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(this.#timeoutMs)]);
    try {
      const res = await this.#fetch(hook.url, {
        method: 'POST',
        // A redirected POST would turn into a GET; a 3xx is a failure instead.
        redirect: 'manual',
        // Configured headers win, so a receiver that wants another type can have it.
        headers: { 'content-type': 'application/json', ...hook.headers },
        body,
        signal,
        ...(this.#dispatcher === undefined ? {} : { dispatcher: this.#dispatcher }),
      });
      // The body is never read; cancelling it frees the connection for reuse.
      await res.body?.cancel().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? '' : `status ${res.status}`;
    } catch (err) {
      return describeFailure(err, this.#timeoutMs);
    }
  }
}

/** A short fixed-form reason, in the style of probe reasons: 'connect ECONNREFUSED'. */
function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  if (err instanceof Error && err.name === 'AbortError') return 'aborted';
  // undici's fetch wraps network errors in a TypeError whose `cause` has the code.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return code === 'ECONNREFUSED' || code === 'ECONNRESET' ? `connect ${code}` : code;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** Waits `ms`; resolves false at once if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The URL as logged: without user, password and query, which often carry
 * the receiver's secret.
 */
function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return '(invalid url)';
  }
}
