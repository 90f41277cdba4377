/**
 * The DNS server: listeners, the query path, answer cache and reload.
 */
export {
  VigilServer,
  describeZones,
  type BoundListener,
  type ReloadOutcome,
} from './vigil-server.js';
export { Responder, type Transport } from './responder.js';
export { QueryStats } from './stats.js';
export type { ReloadDiff, ZoneChange } from './reload-diff.js';
