/**
 * The up/down state of one check: a verdict changes only after `rise`
 * passes or `fall` failures in a row, so one lost packet does not flip a
 * record. Pure logic; the scheduler feeds it probe results.
 */
import type { CheckConfig, InitialState, ProbeResult } from './types.js';

/** Probe results kept per check, newest last. */
export const HISTORY_LIMIT = 20;

/** Whether a check is up or down. */
export type HealthState = InitialState;

/** A change of a check's state, with the results that caused it. */
export interface Transition {
  /** The check's name. */
  readonly check: string;
  readonly from: HealthState;
  readonly to: HealthState;
  /** The reason of the result that completed the run, e.g. 'status 503'. */
  readonly reason: string;
  /** When the change happened, epoch ms: the end of the deciding probe. */
  readonly at: number;
  /** The `rise` or `fall` results in a row that caused the change, oldest first. */
  readonly results: readonly ProbeResult[];
}

/** A read-only view of a check's state, for status pages and tests. */
export interface CheckSnapshot {
  readonly check: string;
  readonly state: HealthState;
  /** When the check entered `state`, epoch ms; its creation time if it never changed. */
  readonly since: number;
  /** Passes in a row, counting the latest result. */
  readonly passes: number;
  /** Failures in a row, counting the latest result. */
  readonly failures: number;
  /** The last results, oldest first, at most HISTORY_LIMIT. */
  readonly history: readonly ProbeResult[];
}

/** Tracks one check's state from its probe results. */
export class CheckState {
  readonly #name: string;
  readonly #rise: number;
  readonly #fall: number;
  #state: HealthState;
  #since: number;
  #passes = 0;
  #failures = 0;
  #history: ProbeResult[] = [];

  /** Starts in `check.initial`; `nowMs` becomes `since`. */
  constructor(check: Pick<CheckConfig, 'name' | 'rise' | 'fall' | 'initial'>, nowMs: number) {
    this.#name = check.name;
    // A threshold below 1 would flip on no evidence; treat it as 1.
    this.#rise = Math.max(1, check.rise);
    this.#fall = Math.max(1, check.fall);
    this.#state = check.initial;
    this.#since = nowMs;
  }

  /** The current state. */
  get state(): HealthState {
    return this.#state;
  }

  /**
   * Adds one result. Returns the transition when this result completes
   * `rise` passes in a row while down or `fall` failures in a row while up.
   */
  record(result: ProbeResult): Transition | undefined {
    this.#history.push(result);
    if (this.#history.length > HISTORY_LIMIT) this.#history.shift();
    if (result.ok) {
      this.#passes += 1;
      this.#failures = 0;
    } else {
      this.#failures += 1;
      this.#passes = 0;
    }

    const to = this.#next();
    if (to === undefined) return undefined;
    const from = this.#state;
    const run = to === 'up' ? this.#rise : this.#fall;
    const at = result.at + result.durationMs;
    this.#state = to;
    this.#since = at;
    const results = this.#history.slice(-run);
    return { check: this.#name, from, to, reason: result.reason, at, results };
  }

  /** A copy of the state, counters and history. */
  snapshot(): CheckSnapshot {
    return {
      check: this.#name,
      state: this.#state,
      since: this.#since,
      passes: this.#passes,
      failures: this.#failures,
      history: [...this.#history],
    };
  }

  #next(): HealthState | undefined {
    if (this.#state === 'down' && this.#passes >= this.#rise) return 'up';
    if (this.#state === 'up' && this.#failures >= this.#fall) return 'down';
    return undefined;
  }
}
