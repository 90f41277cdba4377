/**
 * The probe worker thread: a HealthMonitor that schedules and runs every
 * probe off the thread that answers queries, and posts each result to the
 * parent at the end of the event-loop turn that produced it, many results
 * to a message. The parent keeps the up/down state (ProbeWorkerMonitor).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HealthMonitor } from './scheduler.js';
import type { ProbeResult } from './types.js';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages.js';

/** How often the start lag counters go to the parent. */
const LAG_REPORT_MS = 1_000;

const port = parentPort;
if (port === null) throw new Error('probe-worker.ts runs as a worker thread only');
const start = workerData as WorkerStart;

let generations = new Map<string, number>(start.generations);
let pending: [name: string, generation: number, result: ProbeResult, skipped: number][] = [];
let flushQueued = false;

const monitor = new HealthMonitor(start.checks, {
  concurrency: start.concurrency,
  onResult: (name, result) => {
    pending.push([name, generations.get(name) ?? 0, result, monitor.skippedTurns(name)]);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  },
});

function flush(): void {
  flushQueued = false;
  const message: FromWorker = { kind: 'results', results: pending };
  pending = [];
  port!.postMessage(message);
}

function reportLag(): void {
  const message: FromWorker = {
    kind: 'lag',
    lag: monitor.lag(),
    recentMaxMs: monitor.takeRecentMaxLagMs(),
  };
  port!.postMessage(message);
}

port.on('message', (message: ToWorker) => {
  generations = new Map(message.generations);
  monitor.update(message.checks);
});

setInterval(reportLag, LAG_REPORT_MS);
monitor.start();
