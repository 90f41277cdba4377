/**
 * Child-process entry for loadConfigInChild: parses and validates the
 * configuration in its own process and sends the LoadOutcome back over IPC.
 * Run only from compiled JavaScript (dist/config/load-child.js).
 *
 * A child process rather than a worker thread: a worker's isolate shares the
 * server's allocator, and the parse of a 100,000-name zone left about 100 MB
 * of freed memory in the server's RSS after every reload. A child's memory
 * all goes back to the system when it exits.
 */
import { loadOutcome, type PreviousZone } from './load.js';

/** The data the parent sends first. */
export interface LoadChildInput {
  readonly mainFile: string;
  readonly previous: readonly (readonly [string, PreviousZone])[];
}

/**
 * RRsets per message. Each message is parsed in the server as its own task,
 * so a 100,000-name zone arrives in slices of a few milliseconds each instead
 * of one long stall; 2,000 per message measured up to 96 ms between queries.
 */
export const RRSETS_PER_MESSAGE = 500;

function send(message: unknown): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send?.(message, undefined, {}, (err) => (err ? reject(err) : resolve())),
  );
}

/** Waits for the parent to take a slice before sending the next. */
function nextRequest(): Promise<unknown> {
  return new Promise((resolve) => process.once('message', resolve));
}

async function run(input: LoadChildInput): Promise<void> {
  try {
    const outcome = await loadOutcome(input.mainFile, new Map(input.previous));
    if (outcome.ok) {
      for (const [index, zone] of outcome.zones.entries()) {
        if ('reuse' in zone) continue;
        for (let i = 0; i < zone.rrsets.length; i += RRSETS_PER_MESSAGE) {
          await send({ index, rrsets: zone.rrsets.slice(i, i + RRSETS_PER_MESSAGE) });
          await nextRequest();
        }
        outcome.zones[index] = { ...zone, rrsets: [] };
      }
    }
    await send({ outcome });
  } catch (err) {
    await send({ crash: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  process.disconnect?.();
}

process.once('message', (input) => void run(input as LoadChildInput));
