/**
 * The running server: listeners on every configured address, the current
 * responder, and reload. A reload loads and validates everything first
 * (in a child process), then swaps the responder in one assignment; a
 * reload that fails changes nothing.
 */
import { performance } from 'node:perf_hooks';
import { loadConfigInChild, type VigilConfig } from '../config/index.js';
import { ConfigError, formatProblem } from '../errors.js';
import { FailoverEngine, UpstreamResolver } from '../failover/index.js';
import { ProbeWorkerMonitor, type HealthView, type Transition } from '../health/index.js';
import { HttpApi, type ZoneSummary } from '../http/index.js';
import type { Logger } from '../log/index.js';
import { WebhookNotifier } from '../notify/index.js';
import { ZoneSet } from '../zone/index.js';
import { diffZones, serialOf, type ReloadDiff } from './reload-diff.js';
import { Responder } from './responder.js';
import { QueryStats, ReloadStats } from './stats.js';
import { listenTcp, type TcpListener } from './tcp.js';
import { listenUdp, type UdpListener } from './udp.js';

/** Tries at binding UDP and TCP to one kernel-chosen port when `port: 0`. */
const PORT_ZERO_ATTEMPTS = 8;

/** One bound socket, as logged at start and returned to tests. */
export interface BoundListener {
  address: string;
  port: number;
  transport: 'udp' | 'tcp';
}

/** The outcome of one reload. */
export type ReloadOutcome =
  | { ok: true; diff: ReloadDiff; durationMs: number }
  | { ok: false; errors: string[]; durationMs: number };

/** A started vigil server. */
export class VigilServer {
  readonly stats = new QueryStats();
  /** When the server was created, epoch ms. */
  readonly startedAtMs = Date.now();
  readonly reloads = new ReloadStats(this.startedAtMs);
  #config: VigilConfig;
  #responder: Responder;
  readonly #log: Logger;
  readonly #health: HealthView;
  readonly #upstream: UpstreamResolver;
  readonly #failover: FailoverEngine;
  readonly #notifier: WebhookNotifier;
  /** The status API, when `server.http` is set. */
  readonly #http: HttpApi | undefined;
  readonly #udp: UdpListener[] = [];
  readonly #tcp: TcpListener[] = [];
  #reloading: Promise<ReloadOutcome> | undefined;
  #reloadAgain = false;
  /** Each check's `initial` state, for checks not yet probed. */
  #initial: Map<string, 'up' | 'down'>;
  /** A check's state as failover records see it. */
  readonly #checkState = (check: string): 'up' | 'down' | undefined =>
    this.#health.state(check)?.state ?? this.#initial.get(check);

  private constructor(config: VigilConfig, log: Logger) {
    this.#config = config;
    this.#log = log.child({ module: 'server' });
    this.#initial = initialStates(config.checks);
    this.#responder = new Responder(new ZoneSet(config.zones), this.stats, this.#log);
    this.#upstream = new UpstreamResolver({
      servers: config.server.resolvers,
      maxStaleMs: config.server.aliasMaxStaleMs,
      onChange: () => this.#failover.upstreamChanged(),
    });
    // Cached answers read from a record are dropped the moment its answer changes.
    this.#failover = new FailoverEngine({
      log: log.child({ module: 'failover' }),
      upstream: this.#upstream,
      onChange: (ids) => this.#responder.forget(ids),
    });
    const healthLog = log.child({ module: 'health' });
    const notifier = new WebhookNotifier(config.notify.webhooks, log.child({ module: 'notify' }));
    this.#notifier = notifier;
    // Probes run in worker threads, off the event loop that answers.
    this.#health = new ProbeWorkerMonitor(config.checks, {
      concurrency: config.server.probeConcurrency,
      threads: config.server.probeThreads,
      onTransition: (transition) => {
        // Answers first: the next query already gets the new verdict.
        this.#failover.checkChanged(transition.check);
        logTransition(healthLog, transition);
        void notifier.notify(transition, this.#failover.recordsUsing(transition.check));
        this.#http?.metrics.recordTransition(transition);
      },
      onResult: (check, result) => this.#http?.metrics.recordResult(check, result),
      onWorkerError: (err) => healthLog.error({ err }, 'probe worker failed'),
    });
    this.#http =
      config.server.http === undefined
        ? undefined
        : new HttpApi({
            listen: config.server.http,
            source: this,
            sections: {
              zones: () => describeZones(this.#config),
              records: () =>
                this.#failover
                  .status()
                  .map((r) => ({ ...r, since: new Date(r.since).toISOString() })),
            },
            log: log.child({ module: 'http' }),
          });
  }

  /** The health monitor; failover records and the status API read it. */
  get health(): HealthView {
    return this.#health;
  }

  /** Compiles the zones of `config` and binds every listener. */
  static async start(config: VigilConfig, log: Logger): Promise<VigilServer> {
    const server = new VigilServer(config, log);
    try {
      await server.#failover.attach(server.#responder.zones, server.#checkState);
      for (const listen of config.server.listen) await server.#bind(listen);
      await server.#http?.listen();
      // Every check's first probe runs now, not one interval later.
      server.#health.start();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** The current configuration. */
  get config(): VigilConfig {
    return this.#config;
  }

  /** The current responder; tests and the status API read it. */
  get responder(): Responder {
    return this.#responder;
  }

  /** The status API's bound address, or undefined when `server.http` is off. */
  get httpAddress(): { address: string; port: number } | undefined {
    return this.#http?.address;
  }

  /** Every bound socket. */
  get listeners(): BoundListener[] {
    return [
      ...this.#udp.map((l) => ({ address: l.address, port: l.port, transport: 'udp' as const })),
      ...this.#tcp.map((l) => ({ address: l.address, port: l.port, transport: 'tcp' as const })),
    ];
  }

  /**
   * Re-reads the main file and every zone file and swaps them in when all
   * validate. Concurrent calls share the reload under way and schedule one
   * more, so the last SIGHUP always takes effect.
   */
  reload(): Promise<ReloadOutcome> {
    if (this.#reloading !== undefined) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = this.#reloadOnce().finally(() => {
      this.#reloading = undefined;
      if (this.#reloadAgain) {
        this.#reloadAgain = false;
        void this.reload();
      }
    });
    // Counted for the metrics; callers still see the outcome or the rejection.
    this.#reloading.then(
      (outcome) => this.reloads.record(outcome.ok, Date.now()),
      () => this.reloads.record(false, Date.now()),
    );
    return this.#reloading;
  }

  /** Closes every listener; queries in flight are dropped. */
  async stop(): Promise<void> {
    this.#health.stop();
    this.#upstream.close();
    this.#notifier.close();
    await Promise.all([...this.#udp, ...this.#tcp, this.#http].map((l) => l?.close()));
    this.#udp.length = 0;
    this.#tcp.length = 0;
  }

  async #reloadOnce(): Promise<ReloadOutcome> {
    const started = performance.now();
    let next: VigilConfig;
    try {
      next = await loadConfigInChild(this.#config.file, { previous: this.#config });
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      const errors = err instanceof ConfigError ? err.problems.map(formatProblem) : [String(err)];
      this.#log.error({ file: this.#config.file, errors, durationMs }, 'reload failed');
      return { ok: false, errors, durationMs };
    }

    // Both steps yield between slices: answering goes on while they run.
    const diff = await diffZones(this.#config.zones, next.zones);
    const zones = await ZoneSet.build(next.zones, this.#responder.zones);
    // Unchanged checks keep their state and history; changed ones start over.
    this.#health.update(next.checks);
    this.#initial = initialStates(next.checks);
    // Failover answers are computed before the new zones serve a query.
    await this.#failover.attach(zones, this.#checkState);
    this.#responder = new Responder(zones, this.stats, this.#log);
    const previous = this.#config;
    this.#config = next;
    this.#notifier.update(next.notify.webhooks);
    this.#warnRestartOnly(previous, next);
    for (const warning of next.warnings) {
      this.#log.warn({ file: next.file, warning }, 'config warning');
    }
    this.#log.level = next.server.logLevel;

    const durationMs = Math.round(performance.now() - started);
    const { rss, heapUsed } = process.memoryUsage();
    this.#log.info({ ...diff, durationMs, rssBytes: rss, heapUsedBytes: heapUsed }, 'reload');
    return { ok: true, diff, durationMs };
  }

  /** Listener settings are bound once; say so when a reload changes them. */
  #warnRestartOnly(before: VigilConfig, after: VigilConfig): void {
    const keys = (c: VigilConfig) =>
      JSON.stringify([
        c.server.listen,
        c.server.tcpIdleTimeoutMs,
        c.server.tcpMaxConnections,
        c.server.http,
        c.server.probeConcurrency,
        c.server.probeThreads,
        c.server.resolvers,
        c.server.aliasMaxStaleMs,
      ]);
    if (keys(before) !== keys(after)) {
      this.#log.warn({ file: after.file }, 'listener settings change at the next restart');
    }
  }

  /** Binds UDP and TCP on one address; port 0 gets one free port for both. */
  async #bind(listen: VigilConfig['server']['listen'][number]): Promise<void> {
    const current = () => this.#responder;
    const onUdpError = (err: Error) => this.#log.warn({ err }, 'udp send failed');
    const tcpOptions = {
      idleTimeoutMs: this.#config.server.tcpIdleTimeoutMs,
      maxConnections: this.#config.server.tcpMaxConnections,
    };

    for (let attempt = 1; ; attempt++) {
      const udp = await listenUdp(listen, current, onUdpError);
      try {
        const tcp = await listenTcp({ ...listen, port: udp.port }, tcpOptions, current);
        this.#udp.push(udp);
        this.#tcp.push(tcp);
        return;
      } catch (err) {
        await udp.close();
        if (listen.port !== 0 || attempt >= PORT_ZERO_ATTEMPTS) throw err;
      }
    }
  }
}

/** Fields for the start log line: zones with serial and record sets. */
export function describeZones(config: VigilConfig): ZoneSummary[] {
  return config.zones.map((z) => ({
    zone: z.origin,
    serial: serialOf(z),
    rrsets: z.rrsets.length,
  }));
}

function initialStates(checks: VigilConfig['checks']): Map<string, 'up' | 'down'> {
  return new Map(checks.map((check) => [check.name, check.initial]));
}

/**
 * One line per health transition: warn when a check goes down, info when it
 * comes back, with the reason and the durations of the deciding probes.
 */
function logTransition(log: Logger, transition: Transition): void {
  const fields = {
    check: transition.check,
    from: transition.from,
    to: transition.to,
    reason: transition.reason,
    durationsMs: transition.results.map((r) => r.durationMs),
  };
  if (transition.to === 'down') log.warn(fields, 'check down');
  else log.info(fields, 'check up');
}
