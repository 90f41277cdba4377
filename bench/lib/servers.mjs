// Starts each server under test pinned to core 0, measures its time to ready
// by polling with a real query, and reads its memory from /proc.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { knotConfigText } from './knot-config.mjs';

/** Core the server under test runs on. */
export const SERVER_CORE = 0;

const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_INTERVAL_MS = 10;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;
const PROBE_NAME = 'h000003.bench.example';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const VIGIL_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
/** The V8 flags vigil runs with everywhere (package.json config.nodeFlags). */
const VIGIL_NODE_FLAGS = JSON.parse(
  readFileSync(join(ROOT, 'package.json'), 'utf8'),
).config.nodeFlags.split(' ');

/** The command line for each kind; `files` is what gen-zone wrote. */
const KINDS = {
  vigil: (port, files) => [
    process.execPath,
    ...VIGIL_NODE_FLAGS,
    VIGIL_MAIN,
    'start',
    '--config',
    files.vigilConfig,
  ],
  knot: (port, files) => ['/usr/sbin/knotd', '-c', writeKnotConfig(port, files)],
  echo: (port) => [process.execPath, join(ROOT, 'bench', 'echo-server.mjs'), String(port)],
  dns2: (port) => [process.execPath, join(ROOT, 'bench', 'dns2-server.mjs'), String(port)],
};

// Output that means the server will never answer; stop waiting at once.
const FATAL_OUTPUT = /failed to load zone|zone event 'load' failed/;

/** Why a kind cannot run here, or null when it can. */
export function unavailable(kind) {
  if (kind === 'vigil' && !existsSync(VIGIL_MAIN)) return `${VIGIL_MAIN} missing (npm run build)`;
  if (kind === 'knot' && !existsSync('/usr/sbin/knotd')) return 'knotd not installed';
  return KINDS[kind] ? null : `unknown server kind "${kind}"`;
}

/** Knot with one UDP worker (and one of each other kind), zone unsigned. */
function writeKnotConfig(port, files) {
  const dir = join(files.dir, 'knot');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'knot.conf');
  const text = knotConfigText({
    dir,
    port,
    origin: `${files.origin}.`,
    zoneFile: resolve(files.masterFile),
  });
  writeFileSync(conf, text);
  return conf;
}

/** A port free for TCP and UDP on 127.0.0.1 a moment ago. */
export async function findFreePort() {
  for (;;) {
    const port = await new Promise((res, rej) => {
      const srv = createServer().once('error', rej);
      srv.listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => res(p));
      });
    });
    const free = await new Promise((res) => {
      const s = createSocket('udp4').once('error', () => res(false));
      s.bind(port, '127.0.0.1', () => s.close(() => res(true)));
    });
    if (free) return port;
  }
}

/** A minimal A query for PROBE_NAME with the given ID (RFC 1035 §4.1). */
function probeQuery(id) {
  const labels = PROBE_NAME.split('.').map((l) => Buffer.from([l.length, ...Buffer.from(l)]));
  const header = Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

/** Resolves when the server answers the probe with NOERROR; the ms it took. */
async function waitUntilAnswering(port, child, startedAt, output) {
  const sock = createSocket('udp4');
  let answered = false;
  sock.on('message', (msg) => {
    if (msg.length >= 4 && msg[0] === 0x5e && (msg[3] & 0x0f) === 0) answered = true;
  });
  sock.on('error', () => {});
  await new Promise((res) => sock.bind(0, '127.0.0.1', res));
  try {
    const deadline = startedAt + DEFAULT_READY_TIMEOUT_MS;
    while (!answered) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      if (FATAL_OUTPUT.test(output.tail)) throw new Error('it reported a fatal error');
      if (performance.now() > deadline) throw new Error('no answer to the probe query');
      sock.send(probeQuery(0x5e00 + Math.floor(Math.random() * 256)), port, '127.0.0.1');
      await sleep(DEFAULT_POLL_INTERVAL_MS);
    }
    return performance.now() - startedAt;
  } finally {
    sock.close();
  }
}

/** VmHWM (peak) and VmRSS (now) of a process, in MB. */
export function readMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/**
 * Starts one server of `kind` pinned to SERVER_CORE (or to `cores`, a
 * taskset list such as "0,1") and waits until it answers. The handle
 * counts vigil-style JSON log lines by `msg`. `vigilYaml` adds lines to
 * vigil's main file (see vigilConfigText).
 */
export async function startServer(kind, files, { vigilYaml, cores = String(SERVER_CORE) } = {}) {
  const port = await findFreePort();
  if (kind === 'vigil') writeFileSync(files.vigilConfig, vigilConfigText(port, vigilYaml));
  const argv = KINDS[kind](port, files);
  const startedAt = performance.now();
  const child = spawn('taskset', ['-c', cores, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logCounts = {};
  const output = { tail: '' };
  // Always drain both pipes: a server blocked on a full pipe would look slow.
  createInterface({ input: child.stdout }).on('line', (line) => {
    output.tail = `${output.tail}${line}\n`.slice(-2000);
    try {
      const msg = JSON.parse(line).msg;
      if (typeof msg === 'string') logCounts[msg] = (logCounts[msg] ?? 0) + 1;
    } catch {
      // Not JSON (knotd, or a stray print): kept in the tail only.
    }
  });
  child.stderr.on('data', (d) => (output.tail = `${output.tail}${d}`.slice(-2000)));

  let readyMs;
  try {
    readyMs = await waitUntilAnswering(port, child, startedAt, output);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${kind} did not become ready on port ${port}: ${err.message}\n${output.tail}`);
  }
  return {
    kind,
    port,
    pid: child.pid,
    readyMs,
    logCounts,
    signal: (sig) => child.kill(sig),
    memory: () => readMemory(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((res) => child.once('exit', res));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * vigil's main config: one UDP/TCP listener, zones read from ./zones.
 * `server` lines go under `server:` (indented by the caller), `main` lines
 * at the top level, such as `checks:`.
 */
export function vigilConfigText(port, { server = [], main = [] } = {}) {
  return [
    'server:',
    '  listen:',
    `    - "127.0.0.1:${port}"`,
    ...server,
    'zones: zones',
    ...main,
    '',
  ].join('\n');
}
