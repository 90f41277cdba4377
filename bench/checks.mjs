#!/usr/bin/env node
// `npm run bench:checks`: how close to their slots vigil starts the probes of
// 10,000 checks at a 1 s interval, and what probing costs DNS throughput.
// vigil may use both cores (--vigil-cores), its probes on --threads worker
// threads; the TCP endpoints (bench/tcp-target.mjs) and dnsperf are pinned
// to core 1. Reads vigil's own /metrics, prints a table and writes
// <out>/checks-results.json. See bench/README.md.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from './gen-zone.mjs';
import { f, loadBeforeRun, options, say } from './lib/cli.mjs';
import { DNSPERF_CORE, runDnsperf } from './lib/dnsperf.mjs';
import { findFreePort, startServer, unavailable } from './lib/servers.mjs';

const DEFAULTS = {
  checks: '10000',
  interval: '1s',
  timeout: '500ms',
  ports: '8',
  warmup: '5',
  seconds: '20',
  'dns-seconds': '20',
  names: '10000',
  concurrency: '',
  threads: '2',
  'vigil-cores': '0,1',
  out: 'bench/out/checks',
};

// The target: every probe starts within 100 ms of its slot.
const TARGET_LAG_SECONDS = 0.1;

const { arg, num, all } = options(DEFAULTS);
const ROOT = resolve(import.meta.dirname, '..');

/** Starts the TCP endpoints on DNSPERF_CORE; resolves with their ports and a stop(). */
async function startTargets(count) {
  const child = spawn(
    'taskset',
    [
      '-c',
      String(DNSPERF_CORE),
      process.execPath,
      join(ROOT, 'bench', 'tcp-target.mjs'),
      String(count),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`exit ${code}`)))),
  ]);
  return { ports: JSON.parse(line).ports, stop: () => child.kill('SIGTERM') };
}

/** `checks:` for `count` TCP checks spread over `ports`, one flow mapping per line. */
function checksYaml(count, ports) {
  const lines = ['checks:'];
  for (let i = 0; i < count; i++) {
    const name = `c${String(i).padStart(5, '0')}`;
    lines.push(
      `  ${name}: {type: tcp, host: t${i}.example.net, address: 127.0.0.1, ` +
        `port: ${ports[i % ports.length]}, interval: ${arg('interval')}, timeout: ${arg('timeout')}}`,
    );
  }
  return lines;
}

/** Sums every sample of each family we read, keyed `name` or `name{le="x"}` for buckets. */
function parseMetrics(text) {
  const sums = new Map();
  const add = (key, value) => sums.set(key, (sums.get(key) ?? 0) + value);
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    const brace = line.indexOf('{');
    const name = brace === -1 ? line.slice(0, space) : line.slice(0, brace);
    add(name, value);
    if (name === 'vigil_probe_start_lag_seconds_bucket') {
      add(`${name}{le="${/le="([^"]+)"/.exec(line)[1]}"}`, value);
    }
    if (name === 'vigil_probe_results_total')
      add(`${name}{${/result="(\w+)"/.exec(line)[1]}}`, value);
  }
  return sums;
}

/** GET /metrics, timed: what a scrape costs vigil with this many series. */
async function scrape(port) {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const ms = performance.now() - started;
  return { atMs: Date.now(), ms, bytes: text.length, m: parseMetrics(text) };
}

/** Lag buckets between two scrapes: upper bounds in s and the starts in each window. */
function lagWindow(a, b) {
  const buckets = [];
  for (const [key, value] of b.m) {
    const le = /^vigil_probe_start_lag_seconds_bucket\{le="([^"]+)"\}$/.exec(key)?.[1];
    if (le !== undefined)
      buckets.push({ le: le === '+Inf' ? Infinity : Number(le), n: value - a.m.get(key) });
  }
  return buckets.sort((x, y) => x.le - y.le);
}

/** The q-quantile from cumulative buckets, interpolated linearly inside its bucket. */
function quantile(buckets, q) {
  const total = buckets.at(-1).n;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, n } of buckets) {
    if (n >= rank) {
      if (le === Infinity) return null;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, n - below);
    }
    lower = le;
    below = n;
  }
  return null;
}

/** What happened between two scrapes. */
function summarize(a, b) {
  const seconds = (b.atMs - a.atMs) / 1000;
  const delta = (key) => (b.m.get(key) ?? 0) - (a.m.get(key) ?? 0);
  const buckets = lagWindow(a, b);
  const starts = delta('vigil_probe_start_lag_seconds_count');
  const within = buckets.find((x) => x.le === TARGET_LAG_SECONDS)?.n ?? 0;
  return {
    seconds,
    probeStarts: starts,
    probesPerSecond: starts / seconds,
    withinTargetFraction: starts > 0 ? within / starts : null,
    // Interpolation can overshoot the largest lag seen; it bounds the estimate.
    lagP50Seconds: Math.min(
      quantile(buckets, 0.5) ?? Infinity,
      b.m.get('vigil_probe_start_lag_max_seconds'),
    ),
    lagP99Seconds: Math.min(
      quantile(buckets, 0.99) ?? Infinity,
      b.m.get('vigil_probe_start_lag_max_seconds'),
    ),
    lagMeanSeconds: starts > 0 ? delta('vigil_probe_start_lag_seconds_sum') / starts : null,
    lagMaxSeconds: b.m.get('vigil_probe_start_lag_max_seconds'),
    skippedTurns: delta('vigil_check_skipped_turns_total'),
    passes: delta('vigil_probe_results_total{pass}'),
    failures: delta('vigil_probe_results_total{fail}'),
    checksUp: b.m.get('vigil_check_up'),
    cpuSeconds: delta('process_cpu_seconds_total'),
    eventLoopLagP99Seconds: b.m.get('nodejs_eventloop_lag_p99_seconds'),
    scrapeMs: b.ms,
    scrapeBytes: b.bytes,
    buckets: buckets.map(({ le, n }) => ({ le: String(le), n })),
  };
}

function describe(label, s) {
  const within = `${f(100 * s.withinTargetFraction, 2)}% within ${TARGET_LAG_SECONDS * 1000} ms`;
  const pct = `p50 ${f(s.lagP50Seconds * 1000, 1)} ms, p99 ${f(s.lagP99Seconds * 1000, 1)} ms`;
  say(
    `${label}: ${f(s.probesPerSecond, 0)} probes/s, ${within}, ${pct}, ` +
      `max ${f(s.lagMaxSeconds * 1000, 0)} ms, skipped ${s.skippedTurns}, failed ${s.failures}, ` +
      `cpu ${f((100 * s.cpuSeconds) / s.seconds, 0)}%, scrape ${f(s.scrapeMs, 0)} ms ` +
      `(${f(s.scrapeBytes / 1e6, 1)} MB)`,
  );
}

async function dnsRate(server, files) {
  const load = { port: server.port, queries: files.queries };
  await runDnsperf({ ...load, passes: 1 });
  return runDnsperf({ ...load, seconds: num('dns-seconds') });
}

const why = unavailable('vigil');
if (why) {
  say(`vigil unavailable: ${why}`);
  process.exit(1);
}
const load1 = loadBeforeRun();

const out = arg('out');
const files = generate(out, { names: num('names') });
const httpPort = await findFreePort();
const server = [`  http: "127.0.0.1:${httpPort}"`];
if (arg('concurrency') !== '') server.push(`  probe_concurrency: ${num('concurrency')}`);
server.push(`  probe_threads: ${num('threads')}`);
const results = {
  startedAt: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadAverage1m: load1,
    node: process.version,
  },
  options: all(),
};

// --dns-seconds 0 measures the schedule alone.
const measureDns = num('dns-seconds') > 0;
if (measureDns) {
  say(`--- vigil without checks (${files.names} names)`);
  const plain = await startServer('vigil', files, {
    vigilYaml: { server },
    cores: arg('vigil-cores'),
  });
  try {
    results.withoutChecks = await dnsRate(plain, files);
  } finally {
    await plain.stop();
  }
  say(`max rate: ${f(results.withoutChecks.qps, 0)} qps, lost ${results.withoutChecks.lost}`);
}

const targets = await startTargets(num('ports'));
say(
  `\n--- vigil with ${arg('checks')} tcp checks every ${arg('interval')} on ${targets.ports.length} ports, ${arg('threads')} probe threads`,
);
const main = checksYaml(num('checks'), targets.ports);
const vigil = await startServer('vigil', files, {
  vigilYaml: { server, main },
  cores: arg('vigil-cores'),
});
try {
  say(`ready in ${f(vigil.readyMs / 1000)} s; ${arg('warmup')} s warm-up`);
  await sleep(num('warmup') * 1000);
  const idleStart = await scrape(httpPort);
  await sleep(num('seconds') * 1000);
  const idleEnd = await scrape(httpPort);
  results.idle = summarize(idleStart, idleEnd);
  describe('checks only', results.idle);

  if (measureDns) {
    const loadStart = await scrape(httpPort);
    results.withChecks = await dnsRate(vigil, files);
    const loadEnd = await scrape(httpPort);
    results.underLoad = summarize(loadStart, loadEnd);
    describe('under dnsperf', results.underLoad);
    say(`max rate: ${f(results.withChecks.qps, 0)} qps, lost ${results.withChecks.lost}`);
  }
  results.memory = vigil.memory();
} finally {
  await vigil.stop();
  targets.stop();
}

const row = (name, s) =>
  `${name.padEnd(14)} ${f(s.probesPerSecond, 0).padStart(8)} ${f(100 * s.withinTargetFraction).padStart(8)}%` +
  ` ${f(s.lagP50Seconds * 1000, 1).padStart(8)} ${f(s.lagP99Seconds * 1000, 1).padStart(8)}` +
  ` ${f(s.lagMaxSeconds * 1000, 0).padStart(8)} ${String(s.skippedTurns).padStart(8)}`;
say(
  `\n${'window'.padEnd(14)} ${'probes/s'.padStart(8)} ${'<=100ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'skipped'.padStart(8)}`,
);
say(row('checks only', results.idle));
if (measureDns) {
  say(row('under dnsperf', results.underLoad));
  results.qpsRatio = results.withChecks.qps / results.withoutChecks.qps;
  say(
    `\nDNS max rate: ${f(results.withoutChecks.qps, 0)} qps without checks, ` +
      `${f(results.withChecks.qps, 0)} qps with ${arg('checks')} checks ` +
      `(ratio ${f(results.qpsRatio)})`,
  );
}
say(`peak RSS with checks: ${f(results.memory.peakRssMb, 0)} MB`);
const pass = results.idle.withinTargetFraction === 1;
say(
  `${pass ? 'PASS' : 'FAIL'}  every probe start within ${TARGET_LAG_SECONDS * 1000} ms of its slot (checks only)`,
);
writeFileSync(join(out, 'checks-results.json'), `${JSON.stringify(results, null, 2)}\n`);
say(`results written to ${join(out, 'checks-results.json')}`);
