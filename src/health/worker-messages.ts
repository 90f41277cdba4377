/**
 * Messages between ProbeWorkerMonitor and the probe worker thread. Checks
 * carry a generation number, raised whenever a check's definition changes,
 * so that a result probed under an old definition is not counted under the
 * new one.
 */
import type { LagSnapshot } from './lag.js';
import type { CheckConfig, ProbeResult } from './types.js';

/** The worker's `workerData`. */
export interface WorkerStart {
  readonly checks: readonly CheckConfig[];
  readonly concurrency: number;
  readonly generations: readonly (readonly [string, number])[];
}

/** Parent to worker: the checks after a reload. The parent stops a worker by terminating it. */
export interface ToWorker {
  readonly kind: 'update';
  readonly checks: readonly CheckConfig[];
  readonly generations: readonly (readonly [string, number])[];
}

/** Worker to parent. */
export type FromWorker =
  | {
      readonly kind: 'results';
      /** Check name, its generation when probed, the result, the check's skipped turns so far. */
      readonly results: readonly (readonly [string, number, ProbeResult, number])[];
    }
  | { readonly kind: 'lag'; readonly lag: LagSnapshot; readonly recentMaxMs: number };
