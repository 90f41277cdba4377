/**
 * `/metrics`: the Prometheus text format 0.0.4. A prom-client registry of
 * this server's own gives the process and Node.js metrics and the
 * server-wide families, read from vigil's plain counters when a scrape asks
 * (collect callbacks), so the query path never calls into prom-client. The
 * per-check families and the start lag histogram are written by vigil
 * itself (see README.md for why).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { LagSnapshot, ProbeResult, Transition } from '../health/index.js';
import { CheckSeries } from './check-series.js';
import { familyHeader, histogramSamples, labelValue } from './exposition.js';
import { rcodeName } from './rcode-names.js';
import type { RecordSummary, StatusSource } from './status.js';

const LAG_NAME = 'vigil_probe_start_lag_seconds';
const LAG_HELP = 'Time from a probe turn to the start of its probe, after the pool queue.';

/** The metric families of one server, and the hooks that feed the per-probe ones. */
export class VigilMetrics {
  readonly #registry = new Registry();
  readonly #source: StatusSource;
  readonly #checks = new CheckSeries();
  readonly #records: () => readonly RecordSummary[];

  constructor(source: StatusSource, records: () => readonly RecordSummary[] = () => []) {
    this.#source = source;
    this.#records = records;
    const registers = [this.#registry];
    collectDefaultMetrics({ register: this.#registry });
    registerLagMax(source, registers);
    registerServerMetrics(source, registers);
  }

  /** The Content-Type of `text()`. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /** Feeds one probe result (the monitor's onResult hook). */
  recordResult(check: string, result: ProbeResult): void {
    this.#checks.recordResult(check, result);
  }

  /** Feeds one state change (the monitor's onTransition hook). */
  recordTransition(transition: Transition): void {
    this.#checks.recordTransition(transition);
  }

  /**
   * The exposition text in chunks, to be sent in order; with thousands of
   * checks one string would be many megabytes. Only the checks running now
   * have series: those a reload removed are gone, new ones start at 0.
   */
  async chunks(): Promise<string[]> {
    const health = this.#source.health;
    // The lag first, so that it does not include the delay this scrape causes.
    const lag = formatLagHistogram(health.lag());
    const registered = await this.#registry.metrics();
    const checks = await this.#checks.render(health);
    return [lag, registered, '\n', formatActiveTargets(this.#records()), ...checks];
  }

  /** The exposition text as one string. */
  async text(): Promise<string> {
    return (await this.chunks()).join('');
  }
}

type Registers = Registry[];

/** The worst start lag of each scrape window. */
function registerLagMax(source: StatusSource, registers: Registers): void {
  new Gauge({
    name: 'vigil_probe_start_lag_max_seconds',
    help: 'The largest probe start lag since the previous scrape.',
    registers,
    collect() {
      this.set(source.health.takeRecentMaxLagMs() / 1000);
    },
  });
}

/** Query counts, zones and reloads, read from the server at scrape time. */
function registerServerMetrics(source: StatusSource, registers: Registers): void {
  new Counter({
    name: 'vigil_dns_responses_total',
    help: 'DNS replies sent, by transport and rcode.',
    labelNames: ['transport', 'rcode'],
    registers,
    collect() {
      this.reset();
      for (const transport of ['udp', 'tcp'] as const) {
        source.stats[transport].forEach((count, rcode) => {
          const name = rcodeName(rcode);
          if (count > 0 || name.sent) this.inc({ transport, rcode: name.text }, count);
        });
      }
    },
  });
  new Counter({
    name: 'vigil_dns_malformed_total',
    help: 'DNS messages that could not be parsed: dropped or answered FORMERR.',
    registers,
    collect() {
      this.reset();
      this.inc(source.stats.malformed);
    },
  });
  new Gauge({
    name: 'vigil_zones',
    help: 'Zones served.',
    registers,
    collect() {
      this.set(source.config.zones.length);
    },
  });
  new Counter({
    name: 'vigil_reloads_total',
    help: 'Reloads by result (ok or failed).',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'ok' }, source.reloads.ok);
      this.inc({ result: 'failed' }, source.reloads.failed);
    },
  });
  new Gauge({
    name: 'vigil_config_last_reload_success_timestamp_seconds',
    help: 'When the configuration in use was loaded (start or last good reload), Unix time.',
    registers,
    collect() {
      this.set(source.reloads.lastSuccessMs / 1000);
    },
  });
}

/**
 * The lag histogram in the text format. prom-client's Histogram can only
 * be fed one observation at a time, and the monitor already keeps the
 * buckets, so this family is written from its counts.
 */
export function formatLagHistogram(lag: LagSnapshot): string {
  const bounds = lag.boundsMs.map((ms) => String(ms / 1000));
  const samples = histogramSamples(LAG_NAME, '', bounds, lag.counts, lag.sumMs / 1000);
  return `${familyHeader(LAG_NAME, 'histogram', LAG_HELP)}${samples}`;
}

const ACTIVE_NAME = 'vigil_failover_active_target';
const ACTIVE_HELP =
  'Index of the first target a failover or ALIAS record answers (0 is the preferred one), -1 for none.';

/** One gauge per failover or ALIAS record: which target it answers now. */
export function formatActiveTargets(records: readonly RecordSummary[]): string {
  let out = familyHeader(ACTIVE_NAME, 'gauge', ACTIVE_HELP);
  for (const r of records) {
    out += `${ACTIVE_NAME}{record=${labelValue(r.name)},type=${labelValue(r.type)}} ${r.active}\n`;
  }
  return out;
}
