/**
 * How late probes start against their slots, kept as a few counters so that
 * recording one start costs a comparison loop and four additions.
 */

/** Upper bounds of the lag buckets, ms; one more bucket holds every larger lag. */
export const LAG_BUCKET_BOUNDS_MS: readonly number[] = Object.freeze([
  1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
]);

/** A copy of the lag counters. */
export interface LagSnapshot {
  /** Probe starts recorded. */
  readonly count: number;
  /** Sum of their lags, ms. */
  readonly sumMs: number;
  /** The largest lag recorded, ms. */
  readonly maxMs: number;
  /** LAG_BUCKET_BOUNDS_MS. */
  readonly boundsMs: readonly number[];
  /**
   * Starts per bucket, not cumulative: `counts[i]` holds lags above
   * `boundsMs[i - 1]` and at most `boundsMs[i]`; the last entry, lags above
   * the last bound.
   */
  readonly counts: readonly number[];
}

/** Counts probe start lags into fixed buckets, with their sum and maximum. */
export class LagAggregate {
  readonly #counts = new Array<number>(LAG_BUCKET_BOUNDS_MS.length + 1).fill(0);
  #count = 0;
  #sumMs = 0;
  #maxMs = 0;
  #recentMaxMs = 0;

  /** Adds one start that came `lagMs` after its slot; a negative lag (clock step) counts as 0. */
  record(lagMs: number): void {
    const ms = lagMs > 0 ? lagMs : 0;
    let bucket = 0;
    while (bucket < LAG_BUCKET_BOUNDS_MS.length && ms > LAG_BUCKET_BOUNDS_MS[bucket]!) bucket++;
    this.#counts[bucket]! += 1;
    this.#count += 1;
    this.#sumMs += ms;
    if (ms > this.#maxMs) this.#maxMs = ms;
    if (ms > this.#recentMaxMs) this.#recentMaxMs = ms;
  }

  /** The counters since the monitor was created. */
  snapshot(): LagSnapshot {
    return {
      count: this.#count,
      sumMs: this.#sumMs,
      maxMs: this.#maxMs,
      boundsMs: LAG_BUCKET_BOUNDS_MS,
      counts: [...this.#counts],
    };
  }

  /**
   * The largest lag since the previous call (or since creation), ms; the
   * next call starts from 0. A metrics scrape reads it, so each scrape sees
   * the worst start of its own window.
   */
  takeRecentMaxMs(): number {
    const ms = this.#recentMaxMs;
    this.#recentMaxMs = 0;
    return ms;
  }
}
