/**
 * Keeps the addresses of ALIAS targets outside vigil's zones resolved ahead
 * of need: each tracked (name, type) is asked of the upstream resolvers at
 * once, again before its TTL runs out, and with backoff after a failure, so
 * answering a query only reads what is already known.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { VigilError } from '../errors.js';
import { absoluteName, messageOf, resolveAddresses, type Outcome } from './upstream-query.js';

/** Time one server gets to answer one question (UDP plus a TCP retry). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 2000;
/** Resolutions running at once; the rest wait their turn. */
export const DEFAULT_MAX_IN_FLIGHT = 64;

/** A refresh starts at this fraction of the TTL. */
const REFRESH_FRACTION = 0.9;
/** Least time between two resolutions of one name, even with TTL 0. */
const MIN_REFRESH_MS = 1000;
/** Retries after a failure wait 1 s, doubling up to this. */
const MAX_BACKOFF_MS = 30_000;
/** Longest delay a Node.js timer honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The address record types an ALIAS is flattened into. */
export type AddressType = 'A' | 'AAAA';

/** What is known now about one (name, type). */
export type UpstreamView =
  /** Never resolved, and the first resolution has not finished. */
  | { readonly kind: 'pending' }
  /** Addresses within their TTL; `ttlSeconds` is what remains of the chain's minimum. */
  | { readonly kind: 'fresh'; readonly addresses: readonly string[]; readonly ttlSeconds: number }
  /** The TTL has run out and refreshing failed; the last good addresses, kept for a while. */
  | {
      readonly kind: 'stale';
      readonly addresses: readonly string[];
      readonly reason: string;
      readonly staleSinceMs: number;
    }
  /** Never resolved and the last try failed, or stale for longer than `maxStaleMs`. */
  | { readonly kind: 'failed'; readonly reason: string };

/** Settings of an UpstreamResolver. */
export interface UpstreamOptions {
  /** Recursive resolvers, asked in this order; IP literals. */
  readonly servers: readonly { readonly host: string; readonly port: number }[];
  /** How long past its TTL a last good answer is still served when refreshing fails. */
  readonly maxStaleMs: number;
  /** Time one server gets per question, default DEFAULT_UPSTREAM_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Clock in epoch milliseconds, default Date.now. */
  readonly now?: () => number;
  /**
   * Called when get(name, type) would now return another kind of view or
   * other addresses; not when a refresh only renews the TTL. Must not throw.
   */
  readonly onChange?: (name: string, type: AddressType) => void;
}

/** The state of one tracked (name, type). */
interface Entry {
  readonly name: string;
  readonly type: AddressType;
  /** The last successful answer and when it arrived. */
  good:
    | { readonly addresses: readonly string[]; readonly ttlSeconds: number; readonly atMs: number }
    | undefined;
  /** Why the latest resolution failed; cleared by a success. */
  error: string | undefined;
  /** When the current run of failures began. */
  failingSinceMs: number | undefined;
  failures: number;
  /** True once the first resolution has ended, either way. */
  settled: boolean;
  /** Signature of the view last announced through onChange. */
  shown: string;
  refreshTimer: NodeJS.Timeout | undefined;
  /** Fires when time alone changes the view (fresh to stale, stale to failed). */
  viewTimer: NodeJS.Timeout | undefined;
  inFlight: AbortController | undefined;
}

const PENDING: UpstreamView = Object.freeze({ kind: 'pending' });

/**
 * Resolves a set of (name, type) pairs through upstream resolvers and keeps
 * them resolved; get() answers from memory and never waits on the network.
 */
export class UpstreamResolver {
  readonly #servers: readonly { readonly host: string; readonly port: number }[];
  readonly #maxStaleMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #onChange: (name: string, type: AddressType) => void;
  readonly #entries = new Map<string, Entry>();
  readonly #limit: LimitFunction = pLimit(DEFAULT_MAX_IN_FLIGHT);
  readonly #waiters = new Set<() => void>();
  #closed = false;

  constructor(options: UpstreamOptions) {
    if (options.servers.length === 0) {
      throw new VigilError(
        'ERR_UPSTREAM_NO_SERVERS',
        'upstream resolver: expected a server, got none',
      );
    }
    this.#servers = options.servers.map((s) => ({ host: s.host, port: s.port }));
    this.#maxStaleMs = options.maxStaleMs;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange ?? (() => {});
  }

  /**
   * Makes the set of pairs kept resolved exactly `wanted`: a new pair is
   * resolved at once, a pair already kept keeps its state, and a pair no
   * longer wanted is forgotten (its timers stop, its query is aborted).
   */
  track(wanted: Iterable<readonly [name: string, type: AddressType]>): void {
    if (this.#closed) throw new VigilError('ERR_UPSTREAM_CLOSED', 'upstream resolver is closed');
    const keep = new Map<string, readonly [string, AddressType]>();
    for (const [name, type] of wanted) {
      const absolute = absoluteName(name);
      keep.set(keyOf(absolute, type), [absolute, type]);
    }
    for (const [key, entry] of this.#entries) {
      if (keep.has(key)) continue;
      stopEntry(entry);
      this.#entries.delete(key);
    }
    for (const [key, [name, type]] of keep) {
      if (this.#entries.has(key)) continue;
      const entry = newEntry(name, type);
      this.#entries.set(key, entry);
      this.#resolve(entry);
    }
    this.#wakeWaiters();
  }

  /** What is known now about (name, type); an untracked pair is `failed`. */
  get(name: string, type: AddressType): UpstreamView {
    const entry = this.#entries.get(keyOf(absoluteName(name), type));
    if (entry === undefined) return { kind: 'failed', reason: 'not tracked' };
    return this.#viewOf(entry, this.#now());
  }

  /** Resolves once every tracked pair has had its first outcome, or after `limitMs`. */
  settled(limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#allSettled()) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(limitMs, MAX_TIMER_MS));
      timer.unref();
      this.#waiters.add(done);
    });
  }

  /** Stops every timer and aborts every query in flight; track() throws after this. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) stopEntry(entry);
    this.#entries.clear();
    this.#wakeWaiters();
  }

  /** Starts one resolution of `entry`, queued behind the in-flight limit. */
  #resolve(entry: Entry): void {
    const controller = new AbortController();
    entry.inFlight = controller;
    const { signal } = controller;
    const run = (): Promise<Outcome> =>
      signal.aborted
        ? Promise.resolve({ ok: false, reason: 'aborted' })
        : resolveAddresses(entry.name, entry.type, this.#servers, this.#timeoutMs, signal);
    this.#limit(run)
      .catch((err: unknown): Outcome => ({
        ok: false,
        reason: `internal error: ${messageOf(err)}`,
      }))
      .then((outcome) => {
        if (!signal.aborted) this.#finish(entry, outcome);
      });
  }

  /** Records an outcome, schedules the next resolution and announces a changed view. */
  #finish(entry: Entry, outcome: Outcome): void {
    const now = this.#now();
    entry.inFlight = undefined;
    entry.settled = true;
    let delayMs: number;
    if (outcome.ok) {
      entry.good = { addresses: outcome.addresses, ttlSeconds: outcome.ttlSeconds, atMs: now };
      entry.error = undefined;
      entry.failingSinceMs = undefined;
      entry.failures = 0;
      delayMs = refreshDelayMs(outcome.ttlSeconds);
    } else {
      entry.error = outcome.reason;
      entry.failingSinceMs ??= now;
      entry.failures += 1;
      delayMs = Math.min(MIN_REFRESH_MS * 2 ** (entry.failures - 1), MAX_BACKOFF_MS);
    }
    clearTimeout(entry.refreshTimer);
    entry.refreshTimer = setTimeout(() => this.#resolve(entry), delayMs);
    entry.refreshTimer.unref();
    this.#wakeWaiters();
    this.#review(entry);
  }

  /** Announces the view of `entry` if it changed, and wakes up at its next time boundary. */
  #review(entry: Entry): void {
    const now = this.#now();
    clearTimeout(entry.viewTimer);
    entry.viewTimer = undefined;
    const next = this.#nextBoundaryMs(entry, now);
    if (next !== undefined) {
      entry.viewTimer = setTimeout(() => this.#review(entry), Math.min(next - now, MAX_TIMER_MS));
      entry.viewTimer.unref();
    }
    const shown = signatureOf(this.#viewOf(entry, now));
    if (shown === entry.shown) return;
    entry.shown = shown;
    this.#onChange(entry.name, entry.type);
  }

  /** The next instant after `now` at which time alone changes the view's kind. */
  #nextBoundaryMs(entry: Entry, now: number): number | undefined {
    if (entry.good === undefined || entry.error === undefined) return undefined;
    const expiresMs = expiryOf(entry.good);
    return [expiresMs, expiresMs + this.#maxStaleMs].find((t) => t > now);
  }

  #viewOf(entry: Entry, now: number): UpstreamView {
    const { good, error } = entry;
    if (good === undefined)
      return error === undefined ? PENDING : { kind: 'failed', reason: error };
    const expiresMs = expiryOf(good);
    // A refresh still in flight past the TTL is not a failure yet: the view
    // stays fresh at TTL 0 rather than flapping to stale for one round trip.
    if (error === undefined || now < expiresMs) {
      const elapsedSeconds = Math.floor(Math.max(0, now - good.atMs) / 1000);
      const ttlSeconds = Math.max(0, good.ttlSeconds - elapsedSeconds);
      return { kind: 'fresh', addresses: good.addresses, ttlSeconds };
    }
    if (now < expiresMs + this.#maxStaleMs) {
      const staleSinceMs = Math.max(expiresMs, entry.failingSinceMs ?? expiresMs);
      return { kind: 'stale', addresses: good.addresses, reason: error, staleSinceMs };
    }
    return { kind: 'failed', reason: error };
  }

  #allSettled(): boolean {
    for (const entry of this.#entries.values()) if (!entry.settled) return false;
    return true;
  }

  #wakeWaiters(): void {
    if (!this.#closed && !this.#allSettled()) return;
    for (const wake of [...this.#waiters]) wake();
  }
}

function newEntry(name: string, type: AddressType): Entry {
  return {
    name,
    type,
    good: undefined,
    error: undefined,
    failingSinceMs: undefined,
    failures: 0,
    settled: false,
    shown: signatureOf(PENDING),
    refreshTimer: undefined,
    viewTimer: undefined,
    inFlight: undefined,
  };
}

function stopEntry(entry: Entry): void {
  clearTimeout(entry.refreshTimer);
  clearTimeout(entry.viewTimer);
  entry.inFlight?.abort();
  entry.inFlight = undefined;
}

/** When a refresh starts: at 90% of the TTL, at least 1 s after this one, at most the TTL. */
function refreshDelayMs(ttlSeconds: number): number {
  // 90% is below the TTL for every TTL of 1 s or more; TTL 0 gets the 1 s floor.
  return Math.min(Math.max(MIN_REFRESH_MS, REFRESH_FRACTION * ttlSeconds * 1000), MAX_TIMER_MS);
}

function expiryOf(good: { readonly ttlSeconds: number; readonly atMs: number }): number {
  return good.atMs + good.ttlSeconds * 1000;
}

/** What onChange compares: the kind and, when there are some, the addresses. */
function signatureOf(view: UpstreamView): string {
  if (view.kind === 'fresh' || view.kind === 'stale')
    return `${view.kind} ${view.addresses.join(' ')}`;
  return view.kind;
}

function keyOf(name: string, type: AddressType): string {
  return `${name} ${type}`;
}
