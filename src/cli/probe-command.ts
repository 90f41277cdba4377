/**
 * `vigil probe NAME` and `vigil probe --all`: run checks once, now, from this
 * machine, and print each verdict with its reason and phase timings. The
 * probes are the ones the server runs, so a check that passes here passes
 * there, network path aside.
 */
import type { VigilConfig } from '../config/index.js';
import { PROBES, type CheckConfig, type ProbeResult } from '../health/index.js';

/** Loads a configuration, reporting its problems itself; undefined when invalid. */
export type ConfigLoader = (file: string) => Promise<VigilConfig | undefined>;

/** What `vigil probe` was asked to do. */
export interface ProbeRequest {
  /** Positionals after `probe`: the check name, when not `--all`. */
  readonly names: readonly string[];
  readonly all: boolean;
  readonly configFile: string;
  readonly load: ConfigLoader;
}

/** Exit statuses of `vigil probe`. */
export const PROBE_EXIT = Object.freeze({ pass: 0, fail: 1, usage: 2 });

/** Columns of the `--all` table, in order. */
const TABLE_HEADER = [
  'check',
  'type',
  'verdict',
  'reason',
  'total ms',
  'dns',
  'connect',
  'tls',
  'first-byte',
];

/** Table columns holding milliseconds, aligned right. */
const NUMERIC_COLUMNS = new Set([4, 5, 6, 7, 8]);

/**
 * Runs `vigil probe` and resolves to its exit status: 0 when every probed
 * check passes, 1 when any fails, 2 on a usage or configuration error.
 */
export async function runProbeCommand(request: ProbeRequest): Promise<number> {
  const { names, all } = request;
  if (all === names.length > 0 || names.length > 1) {
    process.stderr.write('vigil: probe takes one check name or --all\n');
    return PROBE_EXIT.usage;
  }

  const config = await request.load(request.configFile);
  if (config === undefined) return PROBE_EXIT.usage;

  if (all) return probeAll(config.checks);
  const check = config.checks.find((c) => c.name === names[0]);
  if (check === undefined) {
    const known = config.checks.map((c) => c.name).join(', ') || 'none';
    process.stderr.write(`vigil: no check named "${names[0]}"; known checks: ${known}\n`);
    return PROBE_EXIT.usage;
  }
  const result = await probeOnce(check);
  process.stdout.write(`${formatProbeLine(check, result)}\n`);
  return result.ok ? PROBE_EXIT.pass : PROBE_EXIT.fail;
}

async function probeAll(checks: readonly CheckConfig[]): Promise<number> {
  if (checks.length === 0) {
    process.stdout.write('no checks configured\n');
    return PROBE_EXIT.pass;
  }
  const results = await Promise.all(checks.map(probeOnce));
  const rows = checks.map((check, i) => tableRow(check, results[i]!));
  process.stdout.write(`${alignTable([TABLE_HEADER, ...rows])}\n`);
  return results.every((r) => r.ok) ? PROBE_EXIT.pass : PROBE_EXIT.fail;
}

/** Probes `check` once with its own timeout; probes resolve, never reject. */
function probeOnce(check: CheckConfig): Promise<ProbeResult> {
  return PROBES[check.type].run(check, AbortSignal.timeout(check.timeoutMs));
}

/**
 * One probe as one line:
 * `web  pass  status 200  total 12.3 ms  dns - connect 0.4 tls - first-byte 7.7`.
 * A phase the probe type does not have, or did not reach, prints as `-`.
 */
export function formatProbeLine(check: CheckConfig, result: ProbeResult): string {
  const { dnsMs, connectMs, tlsMs, firstByteMs } = result.phases;
  const phases = [
    `dns ${formatMs(dnsMs)}`,
    `connect ${formatMs(connectMs)}`,
    `tls ${formatMs(tlsMs)}`,
    `first-byte ${formatMs(firstByteMs)}`,
  ];
  const total = `total ${formatMs(result.durationMs)} ms`;
  return [check.name, verdict(result), result.reason, total, phases.join(' ')].join('  ');
}

function tableRow(check: CheckConfig, result: ProbeResult): string[] {
  const { dnsMs, connectMs, tlsMs, firstByteMs } = result.phases;
  return [
    check.name,
    check.type,
    verdict(result),
    result.reason,
    formatMs(result.durationMs),
    formatMs(dnsMs),
    formatMs(connectMs),
    formatMs(tlsMs),
    formatMs(firstByteMs),
  ];
}

/** Pads every column to its widest cell, two spaces apart, without trailing blanks. */
function alignTable(rows: readonly string[][]): string {
  const widths = TABLE_HEADER.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) =>
          NUMERIC_COLUMNS.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function verdict(result: ProbeResult): string {
  return result.ok ? 'pass' : 'fail';
}

/** Milliseconds to one decimal; `-` for a phase that has no timing. */
function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : ms.toFixed(1);
}
