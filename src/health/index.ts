/**
 * The health module's surface: probes for each check type, the up/down
 * state machine, and the monitor that schedules probes. Other folders
 * import from here only.
 */
export type * from './types.js';
export { DuplicateCheckError } from './errors.js';
export { PROBES, MAX_BODY_BYTES, type Probe } from './probes/index.js';
export {
  CheckState,
  HISTORY_LIMIT,
  type CheckSnapshot,
  type HealthState,
  type Transition,
} from './state.js';
export { LAG_BUCKET_BOUNDS_MS, LagAggregate, type LagSnapshot } from './lag.js';
export {
  DEFAULT_CONCURRENCY,
  HealthMonitor,
  nameHash,
  spreadOffsetMs,
  type HealthView,
  type MonitorOptions,
  type MonitorTimers,
} from './scheduler.js';
export { ProbeWorkerMonitor, type WorkerMonitorOptions } from './worker-monitor.js';
