/**
 * Failover records and ALIAS flattening: answers computed from health and
 * upstream resolution state, at the moment either changes.
 */
export {
  FailoverEngine,
  STALE_TTL_SECONDS,
  type AliasUpstream,
  type CheckStateOf,
  type FailoverOptions,
  type RecordStatus,
  type TargetStatus,
} from './engine.js';
export { UpstreamResolver, type AddressType, type UpstreamView } from './upstream.js';
