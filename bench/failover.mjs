#!/usr/bin/env node
// `npm run bench:failover`: what failover records cost DNS throughput. The
// same query mix runs against vigil serving the plain generated zone and
// against vigil serving the same zone where two names in ten are failover
// records (a CNAME and an A, see gen-zone.mjs) tied to two TCP checks, so
// about a fifth of the queries meet a failover record. Rounds alternate
// plain and failover to spread the machine's drift over both. A last run
// flips one check every two seconds while the load runs, so every flip
// recomputes 20,000 records and drops the cached answers read from them.
// vigil runs pinned to core 0, dnsperf to core 1. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from './gen-zone.mjs';
import { f, loadBeforeRun, options, say } from './lib/cli.mjs';
import { runDnsperf } from './lib/dnsperf.mjs';
import { startServer, unavailable } from './lib/servers.mjs';

const DEFAULTS = {
  names: '100000',
  seconds: '20',
  rounds: '2',
  clients: '4',
  outstanding: '100',
  'flip-every': '2',
  out: 'bench/out/failover',
};

// The issue's target: failover records in the mix cost at most 10% of QPS.
const TARGET_RATIO = 0.9;

const { arg, num, flag, all } = options(DEFAULTS, ['check']);

/** A TCP endpoint a check connects to; close() and open() flip the check. */
class Endpoint {
  port = 0;
  #server;

  async open() {
    this.#server = createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
    });
    await new Promise((resolve) => this.#server.listen(this.port, '127.0.0.1', resolve));
    this.port = this.#server.address().port;
  }

  async close() {
    const server = this.#server;
    this.#server = undefined;
    await new Promise((resolve) => server?.close(resolve) ?? resolve());
  }
}

function checksYaml(a, b) {
  const check = (name, port) =>
    `  ${name}: {type: tcp, host: ${name}.example.net, address: 127.0.0.1, port: ${port}, ` +
    'interval: 1s, timeout: 500ms, rise: 1, fall: 1}';
  return ['checks:', check('bench-a', a.port), check('bench-b', b.port)];
}

function dig(port, name, type) {
  return execFileSync('dig', ['@127.0.0.1', '-p', String(port), '+short', name, type], {
    encoding: 'utf8',
  }).trim();
}

/** One measurement: start, warm up with one pass of the mix, then the timed run. */
async function measure(label, files, vigilYaml, during) {
  const server = await startServer('vigil', files, { vigilYaml });
  try {
    const load = { port: server.port, queries: files.queries, clients: num('clients') };
    load.outstanding = num('outstanding');
    const probe = dig(server.port, 'h000009.bench.example', 'CNAME');
    await runDnsperf({ ...load, passes: 1 });
    const stopDuring = during?.();
    const max = await runDnsperf({ ...load, seconds: num('seconds') });
    const flips = await stopDuring?.();
    const changes = server.logCounts['answer changed'] ?? 0;
    say(
      `${label.padEnd(16)} ${f(max.qps, 0).padStart(7)} qps, lost ${max.lost}, ` +
        `h000009 CNAME ${probe || '-'}${flips === undefined ? '' : `, ${flips} flips, ${changes} answer changes logged`}`,
    );
    return { label, qps: max.qps, lost: max.lost, flips, changes, readyMs: server.readyMs };
  } finally {
    await server.stop();
  }
}

const why = unavailable('vigil');
if (why) {
  say(`vigil unavailable: ${why}`);
  process.exit(1);
}
const load1 = loadBeforeRun();

const out = arg('out');
const plain = generate(join(out, 'plain'), { names: num('names') });
const failover = generate(join(out, 'failover'), { names: num('names'), failover: true });
const a = new Endpoint();
const b = new Endpoint();
await a.open();
await b.open();
const failoverYaml = { main: checksYaml(a, b) };

const runs = [];
try {
  for (let round = 1; round <= num('rounds'); round++) {
    runs.push({ round, ...(await measure(`plain #${round}`, plain, {})) });
    runs.push({ round, ...(await measure(`failover #${round}`, failover, failoverYaml)) });
  }
  // bench-a flips every few seconds while the load runs.
  const flipping = () => {
    let flips = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await sleep(num('flip-every') * 1000);
        if (stop) break;
        if (flips % 2 === 0) await a.close();
        else await a.open();
        flips++;
      }
    })();
    return async () => {
      stop = true;
      await loop;
      if (flips % 2 === 1) await a.open();
      return flips;
    };
  };
  runs.push({
    round: 0,
    ...(await measure('failover flapping', failover, failoverYaml, flipping)),
  });
} finally {
  await a.close();
  await b.close();
}

const sum = (label) => runs.filter((r) => r.label.startsWith(label)).reduce((s, r) => s + r.qps, 0);
const ratio = sum('failover #') / sum('plain #');
const flapping = runs.at(-1);
const flappingRatio = flapping.qps / (sum('plain #') / num('rounds'));
say('');
say(`failover / plain qps (sum over ${arg('rounds')} rounds): ${f(ratio)}`);
say(`failover while flapping / plain mean: ${f(flappingRatio)}`);
const passed = ratio >= TARGET_RATIO && runs.every((r) => r.lost === 0);
say(`${passed ? 'PASS' : 'FAIL'}  failover qps >= ${TARGET_RATIO} x plain, no lost queries`);
writeFileSync(
  join(out, 'failover-results.json'),
  `${JSON.stringify({ startedAt: new Date().toISOString(), loadAverage1m: load1, runs, ratio, flappingRatio }, null, 2)}\n`,
);
say(`results written to ${join(out, 'failover-results.json')}`);
if (flag('check') && !passed) process.exitCode = 1;
