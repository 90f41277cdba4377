/**
 * The `/status` document: what the server serves, the state and recent
 * results of every check, and query counts. Built on each request from the
 * server's live objects; nothing here is cached.
 */
import type { VigilConfig } from '../config/index.js';
import type { CheckConfig, HealthView, ProbeResult } from '../health/index.js';
import { VERSION } from '../version.js';
import { rcodeName } from './rcode-names.js';
import { inSlices } from './slices.js';

/** Replies counted by rcode per transport, as QueryStats keeps them. */
export interface QueryCounts {
  /** Index = rcode; the last entry also counts every larger rcode. */
  readonly udp: readonly number[];
  readonly tcp: readonly number[];
  readonly malformed: number;
}

/** Reload outcomes, as ReloadStats keeps them. */
export interface ReloadCounts {
  readonly ok: number;
  readonly failed: number;
  /** When the configuration in use was loaded, epoch ms. */
  readonly lastSuccessMs: number;
}

/** What the status API and the metrics read; VigilServer is one. */
export interface StatusSource {
  /** When the server started, epoch ms. */
  readonly startedAtMs: number;
  /** The configuration in use; a reload replaces it. */
  readonly config: VigilConfig;
  readonly health: HealthView;
  readonly stats: QueryCounts;
  readonly reloads: ReloadCounts;
}

/** One zone in `/status`. */
export interface ZoneSummary {
  readonly zone: string;
  readonly serial: number;
  readonly rrsets: number;
}

/**
 * One failover or ALIAS record in `/status`: what `/metrics` reads of it;
 * the failover engine adds the answer, the reason, since when and the
 * targets (src/failover/README.md).
 */
export interface RecordSummary {
  readonly name: string;
  readonly type: string;
  /** Index of the first target answered, -1 when it answers none. */
  readonly active: number;
}

/** Providers of the status sections that other modules own. */
export interface StatusSections {
  readonly zones: () => readonly ZoneSummary[];
  readonly records: () => readonly RecordSummary[];
}

/** One probe result in a check's history. */
export interface HistoryEntry {
  readonly at: string;
  readonly ok: boolean;
  readonly reason: string;
  readonly durationMs: number;
  readonly phases: ProbeResult['phases'];
  readonly status?: number;
}

/** One check in `/status`. */
export interface CheckStatus {
  readonly name: string;
  readonly type: CheckConfig['type'];
  readonly host: string;
  /** `address:port` connected to, or `host:port` when `address` is unset. */
  readonly target: string;
  readonly state: 'up' | 'down';
  readonly since: string;
  readonly passes: number;
  readonly failures: number;
  readonly skippedTurns: number;
  /** The last results, oldest first. */
  readonly history: readonly HistoryEntry[];
}

/** The whole `/status` document. */
export interface StatusDocument {
  readonly version: string;
  readonly startedAt: string;
  readonly configFile: string;
  readonly lastReloadAt: string;
  readonly zones: readonly ZoneSummary[];
  readonly records: readonly RecordSummary[];
  readonly queries: {
    readonly udp: Record<string, number>;
    readonly tcp: Record<string, number>;
    readonly malformed: number;
  };
  /** Last, so that it can be written in slices. */
  readonly checks: readonly CheckStatus[];
}

/** Builds the document from the server's current state. */
export function buildStatus(source: StatusSource, sections: StatusSections): StatusDocument {
  const checks: CheckStatus[] = [];
  for (const check of source.config.checks) {
    const status = checkStatus(source.health, check);
    if (status !== undefined) checks.push(status);
  }
  return { ...summary(source, sections), checks };
}

/**
 * The document as JSON text in chunks, the same as JSON.stringify of
 * buildStatus plus a newline. The checks come last and are written a
 * slice at a time: with thousands of checks and their history the text
 * runs to megabytes.
 */
export async function statusChunks(
  source: StatusSource,
  sections: StatusSections,
): Promise<string[]> {
  const head = JSON.stringify(summary(source, sections));
  const checks = await inSlices(source.config.checks, (check) => {
    const status = checkStatus(source.health, check);
    return status === undefined ? '' : `,${JSON.stringify(status)}`;
  });
  // Every check was written with a leading comma; the first one loses it.
  const first = checks.findIndex((chunk) => chunk !== '');
  if (first !== -1) checks[first] = checks[first]!.slice(1);
  return [`${head.slice(0, -1)},"checks":[`, ...checks, ']}\n'];
}

/** Everything but the checks. */
function summary(source: StatusSource, sections: StatusSections): Omit<StatusDocument, 'checks'> {
  return {
    version: VERSION,
    startedAt: new Date(source.startedAtMs).toISOString(),
    configFile: source.config.file,
    lastReloadAt: new Date(source.reloads.lastSuccessMs).toISOString(),
    zones: sections.zones(),
    records: sections.records(),
    queries: {
      udp: countsByRcode(source.stats.udp),
      tcp: countsByRcode(source.stats.tcp),
      malformed: source.stats.malformed,
    },
  };
}

/** `host:port`, with IPv6 literals in brackets (RFC 3986 §3.2.2). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function checkStatus(health: HealthView, check: CheckConfig): CheckStatus | undefined {
  const state = health.state(check.name);
  if (state === undefined) return undefined;
  return {
    name: check.name,
    type: check.type,
    host: check.host,
    target: hostPort(check.address ?? check.host, check.port),
    state: state.state,
    since: new Date(state.since).toISOString(),
    passes: state.passes,
    failures: state.failures,
    skippedTurns: state.skippedTurns,
    history: state.history.map(historyEntry),
  };
}

function historyEntry(result: ProbeResult): HistoryEntry {
  const entry = {
    at: new Date(result.at).toISOString(),
    ok: result.ok,
    reason: result.reason,
    durationMs: result.durationMs,
    phases: result.phases,
  };
  return result.status === undefined ? entry : { ...entry, status: result.status };
}

/** The rcodes vigil sends always appear, others only once counted. */
function countsByRcode(row: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  row.forEach((count, rcode) => {
    const name = rcodeName(rcode);
    if (count > 0 || name.sent) out[name.text] = count;
  });
  return out;
}
