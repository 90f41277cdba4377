/**
 * ProbeWorkerMonitor: the HealthView the running server uses. Scheduling
 * and probing run in worker threads (probe-worker.ts), so thousands of
 * probes a second never lengthen a turn of the event loop that answers
 * queries, and the kernel can run them on other cores. Each check belongs
 * to one thread, chosen by a hash of its name, so it keeps its thread and
 * its slot across reloads. The up/down state machines stay on this thread,
 * fed by the workers' results, so a transition reaches the failover
 * engine, the logs and the webhooks here, in the order the results arrive.
 */
import { Worker } from 'node:worker_threads';
import { LAG_BUCKET_BOUNDS_MS, type LagSnapshot } from './lag.js';
import {
  DEFAULT_CONCURRENCY,
  assertUniqueNames,
  nameHash,
  sameDefinition,
  type HealthView,
} from './scheduler.js';
import { CheckState, type CheckSnapshot, type Transition } from './state.js';
import type { CheckConfig, ProbeResult } from './types.js';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages.js';

/** Wait before starting a worker again after it failed. */
const RESTART_DELAY_MS = 1_000;

/**
 * The compiled worker beside this module. Run from TypeScript source (the
 * tests), this module has no compiled sibling, so it takes the build's
 * copy, which `npm test` compiles first.
 */
const DEFAULT_WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/health/probe-worker.js', import.meta.url)
  : new URL('./probe-worker.js', import.meta.url);

/** Options of a ProbeWorkerMonitor. */
export interface WorkerMonitorOptions {
  /** Probes in flight at once across all threads, shared out evenly. */
  readonly concurrency?: number;
  /** Worker threads the checks are spread over (default 1). */
  readonly threads?: number;
  readonly onTransition?: (transition: Transition) => void;
  readonly onResult?: (check: string, result: ProbeResult) => void;
  /** Called when a worker fails; it is started again after RESTART_DELAY_MS. */
  readonly onWorkerError?: (err: Error) => void;
  /** The workers' entry point; default probe-worker.js beside this module. */
  readonly workerUrl?: URL;
}

interface Entry {
  readonly check: CheckConfig;
  readonly generation: number;
  readonly state: CheckState;
  skipped: number;
}

/** One worker thread and what it last reported. */
interface Shard {
  readonly index: number;
  worker: Worker | undefined;
  restart: NodeJS.Timeout | undefined;
  lag: LagSnapshot;
  recentMaxMs: number;
}

const NO_LAG: LagSnapshot = {
  count: 0,
  sumMs: 0,
  maxMs: 0,
  boundsMs: LAG_BUCKET_BOUNDS_MS,
  counts: new Array<number>(LAG_BUCKET_BOUNDS_MS.length + 1).fill(0),
};

/** Runs the checks' probes in worker threads; keeps their state here. */
export class ProbeWorkerMonitor implements HealthView {
  readonly #concurrency: number;
  readonly #onTransition: (transition: Transition) => void;
  readonly #onResult: (check: string, result: ProbeResult) => void;
  readonly #onWorkerError: (err: Error) => void;
  readonly #workerUrl: URL;
  readonly #shards: Shard[];
  #checks: readonly CheckConfig[];
  #entries = new Map<string, Entry>();
  #running = false;
  #nextGeneration = 1;

  constructor(checks: readonly CheckConfig[], options: WorkerMonitorOptions = {}) {
    assertUniqueNames(checks);
    this.#checks = checks;
    const threads = Math.max(1, Math.floor(options.threads ?? 1));
    this.#concurrency = Math.ceil((options.concurrency ?? DEFAULT_CONCURRENCY) / threads);
    this.#onTransition = options.onTransition ?? (() => {});
    this.#onResult = options.onResult ?? (() => {});
    this.#onWorkerError = options.onWorkerError ?? (() => {});
    this.#workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;
    this.#shards = Array.from({ length: threads }, (_, index) => ({
      index,
      worker: undefined,
      restart: undefined,
      lag: NO_LAG,
      recentMaxMs: 0,
    }));
  }

  /** Starts the workers; every check's first probe runs at once. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#reconcile(this.#checks);
    for (const shard of this.#shards) this.#spawn(shard);
  }

  /** Stops the workers; results still on their way are dropped. */
  stop(): void {
    this.#running = false;
    for (const shard of this.#shards) {
      clearTimeout(shard.restart);
      const worker = shard.worker;
      shard.worker = undefined;
      if (worker !== undefined) retire(worker);
    }
    this.#entries.clear();
  }

  /** As HealthMonitor.update: unchanged checks keep their state, history and slot. */
  update(checks: readonly CheckConfig[]): void {
    assertUniqueNames(checks);
    this.#checks = checks;
    if (!this.#running) return;
    this.#reconcile(checks);
    for (const shard of this.#shards) {
      if (shard.worker === undefined) {
        if (shard.restart === undefined) this.#spawn(shard);
        continue;
      }
      const message: ToWorker = { kind: 'update', ...this.#share(shard) };
      shard.worker.postMessage(message);
    }
  }

  state(name: string): (CheckSnapshot & { readonly skippedTurns: number }) | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    return { ...entry.state.snapshot(), skippedTurns: entry.skipped };
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** The start lag counters of every thread added up, as of their last reports (once a second). */
  lag(): LagSnapshot {
    let { count, sumMs, maxMs } = NO_LAG;
    const counts = [...NO_LAG.counts];
    for (const { lag } of this.#shards) {
      count += lag.count;
      sumMs += lag.sumMs;
      maxMs = Math.max(maxMs, lag.maxMs);
      lag.counts.forEach((n, i) => (counts[i]! += n));
    }
    return { count, sumMs, maxMs, boundsMs: LAG_BUCKET_BOUNDS_MS, counts };
  }

  takeRecentMaxLagMs(): number {
    let max = 0;
    for (const shard of this.#shards) {
      max = Math.max(max, shard.recentMaxMs);
      shard.recentMaxMs = 0;
    }
    return max;
  }

  /** Keeps the entries of unchanged checks, starts the others afresh. */
  #reconcile(checks: readonly CheckConfig[]): void {
    const next = new Map<string, Entry>();
    const now = Date.now();
    for (const check of checks) {
      const kept = this.#entries.get(check.name);
      if (kept !== undefined && sameDefinition(kept.check, check)) {
        next.set(check.name, kept);
        continue;
      }
      const generation = this.#nextGeneration++;
      next.set(check.name, { check, generation, state: new CheckState(check, now), skipped: 0 });
    }
    this.#entries = next;
  }

  /** The checks `shard` runs, with their generations. */
  #share(shard: Shard): Pick<WorkerStart, 'checks' | 'generations'> {
    const threads = this.#shards.length;
    const checks = this.#checks.filter((c) => nameHash(c.name) % threads === shard.index);
    const generations = checks.map((c): [string, number] => [
      c.name,
      this.#entries.get(c.name)!.generation,
    ]);
    return { checks, generations };
  }

  #spawn(shard: Shard): void {
    shard.restart = undefined;
    const data: WorkerStart = { ...this.#share(shard), concurrency: this.#concurrency };
    if (data.checks.length === 0) return;
    const worker = new Worker(this.#workerUrl, { workerData: data });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.#receive(shard, message));
    worker.on('error', (err) => this.#failed(shard, worker, err));
    worker.on('exit', (code) =>
      this.#failed(shard, worker, new Error(`probe worker exited with code ${code}`)),
    );
    shard.worker = worker;
  }

  /** A failed worker is started again; the state kept here carries over. */
  #failed(shard: Shard, worker: Worker, err: Error): void {
    if (worker !== shard.worker) return;
    shard.worker = undefined;
    retire(worker);
    this.#onWorkerError(err);
    if (!this.#running) return;
    shard.restart = setTimeout(() => {
      if (this.#running && shard.worker === undefined) this.#spawn(shard);
    }, RESTART_DELAY_MS).unref();
  }

  #receive(shard: Shard, message: FromWorker): void {
    if (message.kind === 'lag') {
      shard.lag = message.lag;
      shard.recentMaxMs = Math.max(shard.recentMaxMs, message.recentMaxMs);
      return;
    }
    for (const [name, generation, result, skipped] of message.results) {
      const entry = this.#entries.get(name);
      // A check changed or removed since this probe started: not its result.
      if (entry === undefined || entry.generation !== generation) continue;
      entry.skipped = skipped;
      this.#onResult(name, result);
      const transition = entry.state.record(result);
      if (transition !== undefined) this.#onTransition(transition);
    }
  }
}

/** Ends `worker` without hearing from it again; a late error is dropped. */
function retire(worker: Worker): void {
  worker.removeAllListeners();
  worker.on('error', () => {});
  void worker.terminate();
}
