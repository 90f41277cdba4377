/**
 * Starts reference authoritative servers (Knot DNS, NSD) on 127.0.0.1 for
 * differential tests: each gets a temp dir with its config and zone file, runs
 * in the foreground as a child process and is ready once it answers SOA.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { knotConfigText } from '../../bench/lib/knot-config.mjs';
import { dig } from './dig.js';

/** Debian paths of the daemons (packages knot and nsd). */
export const DEFAULT_KNOTD_PATH = process.env.VIGIL_KNOTD ?? '/usr/sbin/knotd';
export const DEFAULT_NSD_PATH = process.env.VIGIL_NSD ?? '/usr/sbin/nsd';

/** How long a daemon may take to load its zone and answer SOA. */
const DEFAULT_READY_TIMEOUT_MS = 15_000;

/** How long stop() waits after SIGTERM before SIGKILL. */
const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/** Tries with a fresh port when another process grabbed ours meanwhile. */
const DEFAULT_START_ATTEMPTS = 3;

/** What the caller serves: the zone apex and RFC 1035 master-file text. */
export interface ReferenceZone {
  origin: string;
  zoneText: string;
}

/** A running reference server; stop() kills it and removes its temp dir. */
export interface ReferenceServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts knotd with one UDP worker on a free 127.0.0.1 port, serving the zone
 * unsigned with semantic checks off. As root, knotd keeps running as root
 * (its `user` default is root:root); we never name the Debian `knot` user.
 */
export function startKnot(zone: ReferenceZone): Promise<ReferenceServer> {
  return startReference('knot', zone, (dir, port, origin) => ({
    file: 'knot.conf',
    text: knotConfigText({ dir, port, origin, zoneFile: join(dir, 'zone.db') }),
    argv: [DEFAULT_KNOTD_PATH, '-c', join(dir, 'knot.conf')],
  }));
}

/**
 * Starts nsd in the foreground (`-d`) with one server process on a free
 * 127.0.0.1 port. `username: ""` stops it dropping privileges, `database: ""`
 * keeps it from writing nsd.db; remote control is off; minimal responses, as
 * Knot gives by default.
 */
export function startNsd(zone: ReferenceZone): Promise<ReferenceServer> {
  return startReference('nsd', zone, (dir, port, origin) => ({
    file: 'nsd.conf',
    text: [
      'server:',
      `    ip-address: 127.0.0.1@${port}`,
      `    port: ${port}`,
      '    username: ""',
      '    chroot: ""',
      `    zonesdir: "${dir}"`,
      `    pidfile: "${join(dir, 'nsd.pid')}"`,
      '    database: ""',
      `    zonelistfile: "${join(dir, 'zone.list')}"`,
      `    xfrdfile: "${join(dir, 'xfrd.state')}"`,
      `    xfrdir: "${dir}"`,
      '    server-count: 1',
      // Knot's and vigil's policy: no apex NS or its glue on positive answers.
      '    minimal-responses: yes',
      '    verbosity: 0',
      'remote-control:',
      '    control-enable: no',
      'zone:',
      `    name: "${origin}"`,
      `    zonefile: "${join(dir, 'zone.db')}"`,
      '',
    ].join('\n'),
    argv: [DEFAULT_NSD_PATH, '-d', '-c', join(dir, 'nsd.conf')],
  }));
}

interface DaemonSetup {
  file: string;
  text: string;
  argv: string[];
}

type Configure = (dir: string, port: number, origin: string) => DaemonSetup;

async function startReference(
  label: string,
  zone: ReferenceZone,
  configure: Configure,
): Promise<ReferenceServer> {
  const origin = zone.origin.endsWith('.') ? zone.origin : `${zone.origin}.`;
  const dir = await mkdtemp(join(tmpdir(), `vigil-${label}-`));
  await writeFile(join(dir, 'zone.db'), zone.zoneText);

  let lastError: unknown;
  for (let attempt = 1; attempt <= DEFAULT_START_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    const setup = configure(dir, port, origin);
    await writeFile(join(dir, setup.file), setup.text);
    const child = spawn(setup.argv[0]!, setup.argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = captureOutput(child);
    try {
      await waitUntilAnswering(child, { host: '127.0.0.1', port }, origin, output);
    } catch (err) {
      lastError = err;
      await killChild(child);
      continue;
    }
    return {
      host: '127.0.0.1',
      port,
      async stop() {
        await killChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`${label} did not start after ${DEFAULT_START_ATTEMPTS} attempts`, {
    cause: lastError,
  });
}

/**
 * Returns a port that was free on 127.0.0.1 for both TCP and UDP a moment
 * ago. Another process may take it before the daemon binds; the caller retries.
 */
export async function findFreePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const sock = createSocket('udp4');
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
    });
    if (port && udpFree) return port;
  }
}

function captureOutput(child: ChildProcess): { text: string } {
  const out = { text: '' };
  const keep = (chunk: Buffer) => {
    // Only the tail matters for an error message; cap what we hold.
    out.text = (out.text + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return out;
}

async function waitUntilAnswering(
  child: ChildProcess,
  server: { host: string; port: number },
  origin: string,
  output: { text: string },
): Promise<void> {
  const deadline = Date.now() + DEFAULT_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${child.spawnfile} exited early: ${output.text.trim()}`);
    }
    try {
      const res = await dig(server, origin, 'SOA', { bufsize: false });
      if (res.rcode === 'NOERROR' && res.flags.includes('aa')) return;
    } catch {
      // Not listening yet (dig timed out or was refused); poll again.
    }
    await sleep(100);
  }
  throw new Error(
    `${child.spawnfile} gave no authoritative SOA for ${origin} at ` +
      `${server.host}#${server.port} within ${DEFAULT_READY_TIMEOUT_MS} ms: ${output.text.trim()}`,
  );
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
