/**
 * The status API: /healthz, /status (JSON) and /metrics (Prometheus text)
 * on `server.http`. Other folders import from here only.
 */
export { HttpApi, type HttpApiOptions } from './http-server.js';
export { PROBE_DURATION_BUCKETS_SECONDS } from './check-series.js';
export { VigilMetrics, formatLagHistogram } from './metrics.js';
export {
  buildStatus,
  statusChunks,
  type CheckStatus,
  type HistoryEntry,
  type QueryCounts,
  type ReloadCounts,
  type StatusDocument,
  type StatusSections,
  type StatusSource,
  type ZoneSummary,
} from './status.js';
