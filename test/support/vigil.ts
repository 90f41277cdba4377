/**
 * Starts vigil for a test: the main file and zone files are written from
 * YAML text into a temp dir, the server listens on 127.0.0.1 at a port the
 * kernel picks, and every log line is captured as an object.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { VigilServer } from '../../src/server/index.js';

/** A running in-process vigil. */
export interface VigilUnderTest {
  host: string;
  port: number;
  dir: string;
  server: VigilServer;
  /** Parsed pino lines, oldest first. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Options beyond the zones. */
export interface StartOptions {
  /** Extra YAML appended under `server:` (indented two spaces by the caller). */
  serverYaml?: string;
  /** Extra top-level YAML for the main file, such as `checks:`. */
  mainYaml?: string;
  logLevel?: string;
}

/** Writes `zones` (file name → YAML text) and a main file into `dir`. */
export async function writeConfig(
  dir: string,
  zones: Record<string, string>,
  options: StartOptions = {},
): Promise<string> {
  await mkdir(join(dir, 'zones'), { recursive: true });
  for (const [file, text] of Object.entries(zones)) await writeFile(join(dir, 'zones', file), text);
  const main = join(dir, 'vigil.yaml');
  await writeFile(
    main,
    [
      'server:',
      '  listen: ["127.0.0.1:0"]',
      `  log_level: ${options.logLevel ?? 'info'}`,
      options.serverYaml ?? '',
      'zones: zones',
      options.mainYaml ?? '',
      '',
    ].join('\n'),
  );
  return main;
}

/** Starts vigil in this process on the given zones. */
export async function startVigil(
  zones: Record<string, string>,
  options: StartOptions = {},
): Promise<VigilUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-test-'));
  const main = await writeConfig(dir, zones, options);
  const config = await loadConfig(main);
  const logs: Record<string, unknown>[] = [];
  const log = createLogger(config.server.logLevel, {
    write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const server = await VigilServer.start(config, log);
  const udp = server.listeners.find((l) => l.transport === 'udp');
  if (udp === undefined) throw new Error('vigil bound no udp listener');

  return {
    host: '127.0.0.1',
    port: udp.port,
    dir,
    server,
    logs,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
