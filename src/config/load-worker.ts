/**
 * Worker-thread entry for loadConfigInWorker: parses and validates the
 * configuration off the main thread and posts the LoadOutcome back. Run only
 * from compiled JavaScript (dist/config/load-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadOutcome, type PreviousZone } from './load.js';

/** The data the main thread passes to the worker. */
export interface LoadWorkerInput {
  readonly mainFile: string;
  readonly previous: readonly (readonly [string, PreviousZone])[];
}

/**
 * RRsets per message. Each message is deserialised on the main thread as its
 * own task, so a 100,000-name zone arrives in slices of a few milliseconds
 * each instead of one long stall.
 */
export const RRSETS_PER_MESSAGE = 2000;

const input = workerData as LoadWorkerInput;
try {
  const outcome = await loadOutcome(input.mainFile, new Map(input.previous));
  if (outcome.ok) {
    for (const [index, zone] of outcome.zones.entries()) {
      if ('reuse' in zone) continue;
      for (let i = 0; i < zone.rrsets.length; i += RRSETS_PER_MESSAGE) {
        parentPort?.postMessage({ index, rrsets: zone.rrsets.slice(i, i + RRSETS_PER_MESSAGE) });
        // Wait for the main thread to take the slice: a port delivers every queued
        // message in one task, which would bring the long stall back.
        await new Promise((resolve) => parentPort?.once('message', resolve));
      }
      outcome.zones[index] = { ...zone, rrsets: [] };
    }
  }
  parentPort?.postMessage({ outcome });
} catch (err) {
  parentPort?.postMessage({ crash: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
