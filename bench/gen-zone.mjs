#!/usr/bin/env node
// Writes the benchmark inputs into one directory, deterministically:
//   zones/bench.example.yaml   the zone in octoDNS YAML, for vigil
//   bench.example.zone         the same zone as an RFC 1035 master file, for Knot
//   queries-mix.txt            dnsperf input: 70% A, 10% AAAA, 10% CNAME,
//                              5% NXDOMAIN, 5% NODATA, shuffled
//   vigil.yaml                 vigil's main config listening on 127.0.0.1:PORT
// With --failover, two names in ten become failover records (see
// failoverLines) and the main config needs the checks bench-a and bench-b.
// Usage: node bench/gen-zone.mjs <dir> [--names 100000] [--port 5300] [--failover]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { vigilConfigText } from './lib/servers.mjs';

export const ORIGIN = 'bench.example';
export const DEFAULT_NAMES = 100_000;
export const DEFAULT_QUERIES = 200_000;
const DEFAULT_TTL_SECONDS = 3600;
const SEED = 0x5eed;

// Of every ten host names: 0-2 carry A and AAAA, 3-8 carry A only, 9 is a
// CNAME to an A-only name in the same block.
const HOSTS_PER_BLOCK = 10;

/** Small seeded PRNG (mulberry32) so every run queries the same sequence. */
function makeRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostName = (i) => `h${String(i).padStart(6, '0')}`;
const ipv4 = (i) => `${['192.0.2', '198.51.100', '203.0.113'][i % 3]}.${((i >> 2) % 254) + 1}`;
const ipv6 = (i) => `2001:db8::${((i + 1) >> 16).toString(16)}:${((i + 1) & 0xffff).toString(16)}`;
const kindOf = (i) => {
  const k = i % HOSTS_PER_BLOCK;
  return k <= 2 ? 'dual' : k <= 8 ? 'a' : 'cname';
};
// Points into the same block, at an A-only name, so chains stay in-zone.
const cnameTarget = (i) => i - (i % HOSTS_PER_BLOCK) + 3;

/** Host names in the zone besides the apex, ns1 and ns2. */
export function hostCount(names) {
  return Math.max(HOSTS_PER_BLOCK, names - 3);
}

/**
 * With `failover`, two names of every block become failover records tied to
 * the checks bench-a and bench-b: the CNAME (index 9) a failover CNAME to
 * indexes 3 and 4, and the last A name (index 8) a failover A. The query
 * mix is unchanged, so about a fifth of the queries meet a failover record.
 */
function failoverLines(i) {
  const k = i % HOSTS_PER_BLOCK;
  const name = hostName(i);
  if (k === 9) {
    const first = hostName(cnameTarget(i));
    const second = hostName(cnameTarget(i) + 1);
    return [
      `${name}:`,
      '  type: CNAME',
      '  failover:',
      `    - {value: ${first}.${ORIGIN}., check: bench-a}`,
      `    - {value: ${second}.${ORIGIN}., check: bench-b}`,
    ];
  }
  if (k === 8) {
    return [
      `${name}:`,
      '  type: A',
      '  failover:',
      `    - {value: ${ipv4(i)}, check: bench-a}`,
      `    - {value: ${ipv4(i + 1)}, check: bench-b}`,
    ];
  }
  return undefined;
}

function buildYaml(hosts, failover = false) {
  const out = [
    '---',
    "'':",
    '  - type: NS',
    `    ttl: ${DEFAULT_TTL_SECONDS}`,
    '    values:',
    `      - ns1.${ORIGIN}.`,
    `      - ns2.${ORIGIN}.`,
    'ns1:',
    '  type: A',
    `  ttl: ${DEFAULT_TTL_SECONDS}`,
    '  value: 192.0.2.1',
    'ns2:',
    '  type: A',
    `  ttl: ${DEFAULT_TTL_SECONDS}`,
    '  value: 192.0.2.2',
  ];
  for (let i = 0; i < hosts; i++) {
    const name = hostName(i);
    const kind = kindOf(i);
    const dynamic = failover ? failoverLines(i) : undefined;
    if (dynamic) {
      out.push(...dynamic);
    } else if (kind === 'dual') {
      out.push(`${name}:`, '  - type: A', `    value: ${ipv4(i)}`);
      out.push('  - type: AAAA', `    value: ${ipv6(i)}`);
    } else if (kind === 'a') {
      // Every seventh A name has a short TTL, to exercise the optional key.
      out.push(`${name}:`, '  type: A');
      if (i % 7 === 0) out.push('  ttl: 60');
      out.push(`  value: ${ipv4(i)}`);
    } else {
      out.push(`${name}:`, '  type: CNAME', `  value: ${hostName(cnameTarget(i))}.${ORIGIN}.`);
    }
  }
  return `${out.join('\n')}\n`;
}

function buildMasterFile(hosts) {
  const out = [
    `$ORIGIN ${ORIGIN}.`,
    `$TTL ${DEFAULT_TTL_SECONDS}`,
    `@ IN SOA ns1.${ORIGIN}. hostmaster.${ORIGIN}. 1 7200 3600 1209600 300`,
    `@ IN NS ns1.${ORIGIN}.`,
    `@ IN NS ns2.${ORIGIN}.`,
    'ns1 IN A 192.0.2.1',
    'ns2 IN A 192.0.2.2',
  ];
  for (let i = 0; i < hosts; i++) {
    const name = hostName(i);
    const kind = kindOf(i);
    if (kind === 'dual') out.push(`${name} IN A ${ipv4(i)}`, `${name} IN AAAA ${ipv6(i)}`);
    else if (kind === 'a') out.push(`${name}${i % 7 === 0 ? ' 60' : ''} IN A ${ipv4(i)}`);
    else out.push(`${name} IN CNAME ${hostName(cnameTarget(i))}`);
  }
  return `${out.join('\n')}\n`;
}

/** One query line for a draw in [0,1): the mix the issue asks for. */
function pickQuery(r, random, hosts) {
  const blocks = Math.floor(hosts / HOSTS_PER_BLOCK);
  const block = Math.floor(random() * blocks) * HOSTS_PER_BLOCK;
  if (r < 0.7) return `${hostName(block + 3 + Math.floor(random() * 6))}.${ORIGIN} A`;
  if (r < 0.8) return `${hostName(block + Math.floor(random() * 3))}.${ORIGIN} AAAA`;
  if (r < 0.9) return `${hostName(block + 9)}.${ORIGIN} A`;
  if (r < 0.95) return `nx${Math.floor(random() * 1e6)}.${ORIGIN} A`;
  return `${hostName(block + 3 + Math.floor(random() * 6))}.${ORIGIN} TXT`;
}

function buildQueries(hosts, count) {
  const random = makeRandom(SEED);
  const lines = [];
  for (let q = 0; q < count; q++) lines.push(pickQuery(random(), random, hosts));
  return `${lines.join('\n')}\n`;
}

/** Writes every input into `dir`; returns their paths. */
export function generate(dir, { names = DEFAULT_NAMES, port = 5300, failover = false } = {}) {
  const hosts = hostCount(names);
  mkdirSync(join(dir, 'zones'), { recursive: true });
  const files = {
    yaml: join(dir, 'zones', `${ORIGIN}.yaml`),
    masterFile: join(dir, `${ORIGIN}.zone`),
    queries: join(dir, 'queries-mix.txt'),
    vigilConfig: join(dir, 'vigil.yaml'),
  };
  writeFileSync(files.yaml, buildYaml(hosts, failover));
  writeFileSync(files.masterFile, buildMasterFile(hosts));
  writeFileSync(files.queries, buildQueries(hosts, DEFAULT_QUERIES));
  writeFileSync(files.vigilConfig, vigilConfigText(port));
  return { dir, ...files, names: hosts + 3, origin: ORIGIN };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { names: { type: 'string' }, port: { type: 'string' }, failover: { type: 'boolean' } },
  });
  const dir = positionals[0] ?? 'bench/out';
  const res = generate(dir, {
    names: values.names ? Number(values.names) : DEFAULT_NAMES,
    port: values.port ? Number(values.port) : 5300,
    failover: values.failover ?? false,
  });
  console.log(JSON.stringify(res));
}
