/**
 * The `vigil` command: `start` serves the configured zones, `validate`
 * checks a configuration without serving it, `probe` runs checks once.
 */
import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadConfig, loadConfigInChild, type VigilConfig } from '../config/index.js';
import { ConfigError, formatProblem } from '../errors.js';
import { createLogger } from '../log/index.js';
import { VigilServer, describeZones } from '../server/index.js';
import { VERSION } from '../version.js';
import { runProbeCommand } from './probe-command.js';

/** The main file read when `--config` is not given, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'config/vigil.yaml';

/** Subcommands the CLI accepts; the Dockerfile test checks against this list. */
export const SUBCOMMANDS = ['start', 'validate', 'probe', 'help', 'version'] as const;

const USAGE = `usage: vigil <command> [--config FILE]

commands:
  start         serve the zones of the configuration (SIGHUP reloads, SIGTERM stops)
  validate      check the configuration and print one line per zone; exit 1 on errors
  probe NAME    run check NAME once, now, and print its verdict, reason and phase
                timings; exit 0 on pass, 1 on fail, 2 on a configuration error
  probe --all   probe every check at once and print a table; exit 1 if any fails
  version       print the version
  help          print this text

options:
  -c, --config FILE   main configuration file (default ${DEFAULT_CONFIG_FILE})
      --all           with probe: every check instead of one by name
`;

/** Runs the CLI; resolves to the process exit status (start never resolves). */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c', default: DEFAULT_CONFIG_FILE },
        help: { type: 'boolean', short: 'h' },
        all: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`vigil: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const command = parsed.positionals[0] ?? 'help';
  const configFile = parsed.values.config;
  if (parsed.values.help === true || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case 'version':
      process.stdout.write(`vigil ${VERSION}\n`);
      return 0;
    case 'validate':
      return validate(configFile);
    case 'start':
      return start(configFile);
    case 'probe':
      return runProbeCommand({
        names: parsed.positionals.slice(1),
        all: parsed.values.all,
        configFile,
        load: loadAndWarn,
      });
    default:
      process.stderr.write(`vigil: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/**
 * Loads `file`, printing every problem to stderr; undefined when any. The
 * server loads in a child process, so the parse's garbage never becomes part
 * of its resident memory; `validate` loads in-process.
 */
async function loadOrReport(file: string, inChild: boolean): Promise<VigilConfig | undefined> {
  try {
    return await (inChild ? loadConfigInChild(file) : loadConfig(file));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) {
      process.stderr.write(`${formatProblem({ ...problem, file: shortPath(problem.file) })}\n`);
    }
    process.stderr.write(`vigil: ${err.problems.length} problem(s), nothing loaded\n`);
    return undefined;
  }
}

/** `file` relative to the working directory when it lies below it, as operators type it. */
function shortPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? file : relativePath;
}

/** Loads `file` in-process, printing its problems or else its warnings to stderr. */
async function loadAndWarn(file: string): Promise<VigilConfig | undefined> {
  const config = await loadOrReport(file, false);
  for (const warning of config?.warnings ?? []) {
    // A warning starts with its file's path, shortened like the problems'.
    process.stderr.write(`warning: ${warning.replace(/^[^:]+/, shortPath)}\n`);
  }
  return config;
}

async function validate(file: string): Promise<number> {
  const config = await loadAndWarn(file);
  if (config === undefined) return 1;
  for (const zone of describeZones(config) as { zone: string; serial: number; rrsets: number }[]) {
    process.stdout.write(`${zone.zone} serial ${zone.serial} rrsets ${zone.rrsets}\n`);
  }
  process.stdout.write(`${shortPath(config.file)}: ok, ${config.zones.length} zone(s)\n`);
  return 0;
}

async function start(file: string): Promise<number> {
  const started = performance.now();
  const config = await loadOrReport(file, true);
  if (config === undefined) return 1;

  const log = createLogger(config.server.logLevel);
  for (const warning of config.warnings) log.warn({ file: config.file, warning }, 'config warning');
  const server = await VigilServer.start(config, log);
  // Before `started` is logged: whoever waits for that line may signal at
  // once, and a SIGHUP with no handler yet would end the process.
  process.on('SIGHUP', () => void server.reload());
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const zones = describeZones(config);
  log.info(
    {
      version: VERSION,
      file: config.file,
      listeners: server.listeners,
      http: server.httpAddress,
      zones,
      rrsets: config.zones.reduce((n, z) => n + z.rrsets.length, 0),
      loadMs: Math.round(performance.now() - started),
    },
    'started',
  );

  return new Promise<number>(() => {});
}
