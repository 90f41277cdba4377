/**
 * The config module's surface: load and validate the main YAML file and its
 * folder of octoDNS zone files into one frozen VigilConfig, or throw a
 * ConfigError that lists every problem in every file.
 */
import { fork } from 'node:child_process';
import { ConfigError, VigilError } from '../errors.js';
import type { RecordSet, ZoneSource } from '../zone/types.js';
import { checkFailoverRecords } from './failover-checks.js';
import { loadOutcome, type LoadOutcome, type PreviousZone } from './load.js';
import type { LoadChildInput } from './load-child.js';
import type { VigilConfig } from './types.js';

export type {
  ListenAddress,
  NotifyConfig,
  ServerConfig,
  VigilConfig,
  WebhookConfig,
} from './types.js';
export { parseDuration } from './duration.js';

/** Options of loadConfig and loadConfigInChild. */
export interface LoadOptions {
  /**
   * The configuration being replaced (on reload). Zones whose file bytes are
   * unchanged keep their ZoneSource object; changed zones get a higher serial.
   */
  readonly previous?: VigilConfig;
}

/**
 * Loads `mainFile` and every zone file of its zone folder on the calling
 * thread. Resolves to a deeply frozen VigilConfig; rejects with ConfigError
 * (every problem at once) when anything is wrong.
 */
export async function loadConfig(
  mainFile: string,
  options: LoadOptions = {},
): Promise<VigilConfig> {
  const outcome = await loadOutcome(mainFile, previousZones(options.previous));
  return assemble(outcome, options.previous);
}

/**
 * Like loadConfig, but parses and validates in a child process so that a
 * large zone neither stalls the event loop nor leaves its parse garbage in
 * this process. Only receiving the result (deserialisation) and freezing it
 * run here, in slices of RRSETS_PER_MESSAGE RRsets, one task each.
 *
 * The child runs dist/config/load-child.js, found next to this module via
 * import.meta.url. When this module is TypeScript source (vitest, tsx), no
 * runnable child file exists beside it, so the load runs in-thread instead.
 */
export async function loadConfigInChild(
  mainFile: string,
  options: LoadOptions = {},
): Promise<VigilConfig> {
  if (import.meta.url.endsWith('.ts')) return loadConfig(mainFile, options);
  const input: LoadChildInput = {
    mainFile,
    previous: [...previousZones(options.previous)],
  };
  const outcome = await new Promise<LoadOutcome>((resolvePromise, reject) => {
    // JSON over IPC, not structured clone: V8 deserialises cloned objects in
    // a form that took twice the heap (101 MB against 42 MB for the RRsets of
    // a 100,000-name zone), and the server keeps them for the zone's life.
    const child = fork(new URL('./load-child.js', import.meta.url), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    let settled = false;
    const slices = new Map<number, RecordSet[]>();
    child.on('message', (message: ChildMessage) => {
      if ('rrsets' in message) {
        // Freeze each slice as it arrives, keeping every task here short.
        const list = slices.get(message.index) ?? [];
        for (const set of message.rrsets) {
          // One copy of the file name for the whole zone, not one per RRset.
          (set.source as { file: string }).file = message.rrsets[0]!.source.file;
          list.push(deepFreeze(set));
        }
        slices.set(message.index, list);
        setImmediate(() => child.connected && child.send('next'));
        return;
      }
      settled = true;
      if (!message.outcome) {
        reject(new VigilError('ERR_CONFIG_CHILD', `config load process failed: ${message.crash}`));
      } else {
        resolvePromise(withSlices(message.outcome, slices));
      }
    });
    child.once('error', (err) => {
      settled = true;
      reject(new VigilError('ERR_CONFIG_CHILD', 'config load process failed', { cause: err }));
    });
    child.once('exit', (code, signal) => {
      if (!settled) {
        const how = signal ?? `code ${code}`;
        reject(new VigilError('ERR_CONFIG_CHILD', `config load process exited with ${how}`));
      }
    });
    child.send(input);
  });
  return assemble(outcome, options.previous);
}

type ChildMessage =
  { index: number; rrsets: RecordSet[] } | { outcome?: LoadOutcome; crash?: string };

/** Puts the RRsets that arrived in slices back into their zones. */
function withSlices(outcome: LoadOutcome, slices: Map<number, RecordSet[]>): LoadOutcome {
  if (!outcome.ok) return outcome;
  const zones = outcome.zones.map((zone, index) =>
    'reuse' in zone ? zone : { ...zone, rrsets: slices.get(index) ?? [] },
  );
  return { ...outcome, zones };
}

function previousZones(previous: VigilConfig | undefined): Map<string, PreviousZone> {
  const out = new Map<string, PreviousZone>();
  for (const zone of previous?.zones ?? []) {
    const soa = zone.rrsets.find((s) => s.type === 'SOA')?.records[0] as
      { serial: number } | undefined;
    out.set(zone.file, { contentHash: zone.contentHash, serial: soa?.serial ?? 0 });
  }
  return out;
}

/** Turns a loader outcome into the frozen config, putting reused zones back in. */
function assemble(outcome: LoadOutcome, previous: VigilConfig | undefined): VigilConfig {
  if (!outcome.ok) throw new ConfigError(outcome.problems);
  const byFile = new Map(previous?.zones.map((z) => [z.file, z]));
  const zones = outcome.zones.map((zone): ZoneSource => {
    if (!('reuse' in zone)) return zone;
    const kept = byFile.get(zone.reuse);
    if (!kept) throw new VigilError('ERR_CONFIG_REUSE', `no previous zone for ${zone.reuse}`);
    return kept;
  });
  const problems = checkFailoverRecords(zones, new Set(outcome.checks.map((c) => c.name)));
  if (problems.length > 0) throw new ConfigError(problems);
  const config: VigilConfig = {
    file: outcome.file,
    server: outcome.server,
    zonesDir: outcome.zonesDir,
    zones,
    checks: outcome.checks,
    notify: outcome.notify,
    warnings: outcome.warnings,
  };
  return deepFreeze(config);
}

/** Freezes an object graph; already-frozen parts (reused zones) are skipped. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
