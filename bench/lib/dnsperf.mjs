// Runs dnsperf pinned to its own core and reads its results. dnsperf 2.10
// prints only the average latency; percentiles come from its -v mode, which
// prints one "> RCODE name type seconds" line per query. We read those lines
// as they stream and count them into a histogram, so a million queries cost
// a few hundred kilobytes, not a copy of the output.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Core the load generator runs on; the server under test gets core 0. */
export const DNSPERF_CORE = 1;

/** Histogram resolution and range: 10 µs buckets up to 2 s, then one overflow bucket. */
const BUCKET_US = 10;
const BUCKETS = 200_000;

/**
 * Runs one dnsperf measurement and resolves with its summary. It lasts
 * `seconds` (-l), or with `passes` it runs through the query file that many
 * times (-n). `qps` limits the rate (-Q); without it dnsperf sends as fast as
 * `outstanding` allows.
 * `verbose` adds per-query latencies and so p50/p99.
 */
export function runDnsperf({
  port,
  queries,
  seconds,
  passes,
  clients = 4,
  outstanding = 100,
  qps,
  verbose = false,
  timeoutSeconds = 2,
}) {
  const args = [
    '-c',
    String(DNSPERF_CORE),
    'dnsperf',
    '-s',
    '127.0.0.1',
    '-p',
    String(port),
    '-d',
    queries,
    ...(passes ? ['-n', String(passes)] : ['-l', String(seconds)]),
    '-c',
    String(clients),
    '-q',
    String(outstanding),
    '-t',
    String(timeoutSeconds),
  ];
  if (qps) args.push('-Q', String(qps));
  if (verbose) args.push('-v');

  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const histogram = verbose ? new Uint32Array(BUCKETS + 1) : null;
    const summary = [];
    let timedOut = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));

    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('> ')) {
        if (!histogram) return;
        const parts = line.split(' ');
        if (parts[1] === 'T' || parts[1] === 'I') {
          timedOut++;
          return;
        }
        const us = Number(parts[parts.length - 1]) * 1e6;
        histogram[Math.min(BUCKETS, Math.floor(us / BUCKET_US))]++;
        return;
      }
      summary.push(line);
    });

    child.once('error', reject);
    child.once('close', (code) => {
      const text = summary.join('\n');
      if (code !== 0 || !/Queries per second/.test(text)) {
        reject(new Error(`dnsperf exited ${code}: ${stderr.trim() || text.slice(-500)}`));
        return;
      }
      const perQuery = histogram ? { ...percentiles(histogram), timeouts: timedOut } : {};
      resolve({ ...parseSummary(text), ...perQuery });
    });
  });
}

/** Reads the "Statistics:" block; latencies are converted to milliseconds. */
export function parseSummary(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    runSeconds: num(/Run time \(s\):\s+([\d.]+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgLatencyMs: msOf(num(/Average Latency \(s\):\s+([\d.]+)/)),
    maxLatencyMs: msOf(num(/Average Latency \(s\):.*max ([\d.]+)\)/)),
    rcodes: /Response codes:\s+(.*)/.exec(text)?.[1]?.trim() ?? '',
  };
}

function msOf(seconds) {
  return seconds === null ? null : seconds * 1000;
}

/** p50/p90/p99 in ms from the bucket counts; the upper edge of the bucket. */
function percentiles(histogram) {
  let total = 0;
  for (const n of histogram) total += n;
  const at = (q) => {
    const target = Math.ceil(total * q);
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= target) return ((i + 1) * BUCKET_US) / 1000;
    }
    return null;
  };
  return { samples: total, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99) };
}
