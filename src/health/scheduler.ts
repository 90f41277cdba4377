/**
 * HealthMonitor: runs every check's probe on its interval through one
 * concurrency pool, feeds the results to each check's CheckState, and hands
 * state changes to a callback.
 */
import { isDeepStrictEqual } from 'node:util';
import pLimit, { type LimitFunction } from 'p-limit';
import { DuplicateCheckError } from './errors.js';
import { LagAggregate, type LagSnapshot } from './lag.js';
import { PROBES, type Probe } from './probes/index.js';
import { CheckState, type CheckSnapshot, type Transition } from './state.js';
import type { CheckConfig, CheckType, ProbeResult } from './types.js';

/** Probes in flight at once, across all checks. */
export const DEFAULT_CONCURRENCY = 64;

/** The timer functions the monitor uses; tests hand in fakes. */
export interface MonitorTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of a HealthMonitor; every field is optional. */
export interface MonitorOptions {
  /** Probes in flight at once (default DEFAULT_CONCURRENCY). */
  readonly concurrency?: number;
  /** The clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** Timers (default the global ones, unref'd so they never keep the process alive). */
  readonly timers?: MonitorTimers;
  /** The probe of each type (default PROBES). */
  readonly probes?: Readonly<Record<CheckType, Probe>>;
  /** Called on every state change. */
  readonly onTransition?: (transition: Transition) => void;
  /** Called after every probe, for debug logs and metrics. */
  readonly onResult?: (check: string, result: ProbeResult) => void;
}

const DEFAULT_TIMERS: MonitorTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One scheduled check. Replaced as a whole when its definition changes. */
interface Entry {
  readonly check: CheckConfig;
  readonly state: CheckState;
  /** The start of the schedule: turn k fires at originMs + offsetMs + k * intervalMs. */
  readonly originMs: number;
  readonly offsetMs: number;
  turn: number;
  timer: unknown;
  /** Queued in the pool or probing; a turn that finds it set is skipped. */
  busy: boolean;
  controller: AbortController | undefined;
  stopped: boolean;
  /** Turns skipped because the previous probe was still running. */
  skipped: number;
}

/**
 * What the server and the status API read of a monitor, whether it probes
 * on this thread (HealthMonitor) or in a worker (ProbeWorkerMonitor).
 */
export interface HealthView {
  start(): void;
  stop(): void;
  update(checks: readonly CheckConfig[]): void;
  state(name: string): (CheckSnapshot & { readonly skippedTurns: number }) | undefined;
  names(): string[];
  lag(): LagSnapshot;
  takeRecentMaxLagMs(): number;
}

/**
 * Probes a set of checks on their intervals. The first probe of every check
 * runs at start(); later turns are spread over the interval by a hash of
 * the check's name, so checks with one interval do not all fire together.
 */
export class HealthMonitor implements HealthView {
  readonly #limit: LimitFunction;
  readonly #now: () => number;
  readonly #timers: MonitorTimers;
  readonly #probes: Readonly<Record<CheckType, Probe>>;
  readonly #onTransition: (transition: Transition) => void;
  readonly #onResult: (check: string, result: ProbeResult) => void;
  #checks: readonly CheckConfig[];
  #entries = new Map<string, Entry>();
  #running = false;
  readonly #lag = new LagAggregate();

  /** Takes the checks to run; nothing happens until start(). */
  constructor(checks: readonly CheckConfig[], options: MonitorOptions = {}) {
    assertUniqueNames(checks);
    this.#checks = checks;
    this.#limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? DEFAULT_TIMERS;
    this.#probes = options.probes ?? PROBES;
    this.#onTransition = options.onTransition ?? (() => {});
    this.#onResult = options.onResult ?? (() => {});
  }

  /** Starts probing: every check's first probe runs now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const check of this.#checks) this.#add(check);
  }

  /** Stops every timer and aborts the probes in flight; their results are dropped. */
  stop(): void {
    this.#running = false;
    for (const entry of this.#entries.values()) this.#halt(entry);
    this.#entries.clear();
    this.#limit.clearQueue();
  }

  /**
   * Replaces the set of checks. A check whose definition is unchanged keeps
   * its state, history and schedule; a changed one starts over from its
   * `initial` state with an immediate probe; a removed one stops at once.
   * Where a check was declared (`source`) does not count as a change.
   */
  update(checks: readonly CheckConfig[]): void {
    assertUniqueNames(checks);
    this.#checks = checks;
    if (!this.#running) return;

    const wanted = new Map(checks.map((check) => [check.name, check]));
    for (const [name, entry] of this.#entries) {
      const next = wanted.get(name);
      if (next !== undefined && sameDefinition(entry.check, next)) continue;
      this.#halt(entry);
      this.#entries.delete(name);
    }
    for (const check of checks) {
      if (!this.#entries.has(check.name)) this.#add(check);
    }
  }

  /** The state of check `name`, or undefined when there is no such running check. */
  state(name: string): (CheckSnapshot & { readonly skippedTurns: number }) | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    return { ...entry.state.snapshot(), skippedTurns: entry.skipped };
  }

  /** Names of the checks being probed. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Turns of check `name` skipped because its previous probe still ran; 0 for no such check. */
  skippedTurns(name: string): number {
    return this.#entries.get(name)?.skipped ?? 0;
  }

  /**
   * How late probes started: for every probe, the time it left the pool's
   * queue minus its slot (the turn's due time; for a check's first probe,
   * the moment it was added). Counts since the monitor was created.
   */
  lag(): LagSnapshot {
    return this.#lag.snapshot();
  }

  /** The largest start lag since the previous call, ms; see LagAggregate. */
  takeRecentMaxLagMs(): number {
    return this.#lag.takeRecentMaxMs();
  }

  #add(check: CheckConfig): void {
    const originMs = this.#now();
    const entry: Entry = {
      check,
      state: new CheckState(check, originMs),
      originMs,
      offsetMs: spreadOffsetMs(check.name, check.intervalMs),
      turn: 0,
      timer: undefined,
      busy: false,
      controller: undefined,
      stopped: false,
      skipped: 0,
    };
    this.#entries.set(check.name, entry);
    this.#launch(entry, originMs);
    this.#schedule(entry);
  }

  #schedule(entry: Entry): void {
    const { originMs, offsetMs, check } = entry;
    const dueMs = originMs + offsetMs + entry.turn * check.intervalMs;
    const delayMs = Math.max(0, dueMs - this.#now());
    entry.timer = this.#timers.setTimeout(() => {
      if (entry.stopped) return;
      entry.turn += 1;
      if (entry.busy) entry.skipped += 1;
      else this.#launch(entry, dueMs);
      this.#schedule(entry);
    }, delayMs);
  }

  /** Queues a probe of `entry` whose slot was `slotMs` (epoch ms). */
  #launch(entry: Entry, slotMs: number): void {
    entry.busy = true;
    void this.#limit(() => this.#probe(entry, slotMs)).finally(() => {
      entry.busy = false;
    });
  }

  async #probe(entry: Entry, slotMs: number): Promise<void> {
    if (entry.stopped) return;
    this.#lag.record(this.#now() - slotMs);
    const { check } = entry;
    const controller = new AbortController();
    entry.controller = controller;
    const timer = this.#timers.setTimeout(() => {
      controller.abort(new DOMException('probe timed out', 'TimeoutError'));
    }, check.timeoutMs);

    let result: ProbeResult;
    const at = this.#now();
    try {
      result = await this.#probes[check.type].run(check, controller.signal);
    } catch (err) {
      // Probes promise never to reject; a bug in one must not stop the schedule.
      const message = err instanceof Error ? err.message : String(err);
      result = { at, ok: false, reason: `probe error: ${message}`, durationMs: 0, phases: {} };
    } finally {
      this.#timers.clearTimeout(timer);
      entry.controller = undefined;
    }

    if (entry.stopped) return;
    this.#onResult(check.name, result);
    const transition = entry.state.record(result);
    if (transition !== undefined) this.#onTransition(transition);
  }

  #halt(entry: Entry): void {
    entry.stopped = true;
    this.#timers.clearTimeout(entry.timer);
    entry.controller?.abort(new DOMException('health monitor stopped', 'AbortError'));
  }
}

/** An FNV-1a hash of a check's name: where its turns fall, and which probe thread runs it. */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Where in its interval a check's periodic turns fall: (0, intervalMs],
 * from the name's hash, so it is stable across restarts.
 */
export function spreadOffsetMs(name: string, intervalMs: number): number {
  const interval = Math.max(1, Math.floor(intervalMs));
  return interval - (nameHash(name) % interval);
}

/** True when two checks differ at most in where they were declared. */
export function sameDefinition(a: CheckConfig, b: CheckConfig): boolean {
  return isDeepStrictEqual({ ...a, source: undefined }, { ...b, source: undefined });
}

/** Throws DuplicateCheckError when two checks share a name. */
export function assertUniqueNames(checks: readonly CheckConfig[]): void {
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.name)) throw new DuplicateCheckError(check.name);
    seen.add(check.name);
  }
}
