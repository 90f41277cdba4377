/**
 * The failover engine: computes the answer of every failover and ALIAS
 * record from check state and resolution state, at the moment either
 * changes, writes it into the zone node, and names the records whose answer
 * changed so the responder drops the cached answers read from them.
 *
 * Nothing here runs per query. A query reads what the engine last wrote.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log/index.js';
import { EDE } from '../wire/index.js';
import { Rcode, TYPE_CODE, inZone, lookup, type RecordSet, type ZoneSet } from '../zone/index.js';
import { setDynamicAnswer, type DynamicRecord } from '../zone/zone.js';
import type { AddressType, UpstreamView } from './upstream.js';

/**
 * `answer changed` lines logged per event (one transition, one upstream
 * change, one reload); past this, one summary line counts the rest, so a
 * check that 20,000 records share does not write 20,000 lines per flip.
 */
export const MAX_CHANGE_LINES = 20;
/** Hops through CNAMEs and zones when flattening an ALIAS target. */
const MAX_ALIAS_HOPS = 8;
/** TTL of a stale ALIAS answer (RFC 8767 §4 recommends 30 s). */
export const STALE_TTL_SECONDS = 30;

/** Whether a check passes now; undefined for a check the engine does not know. */
export type CheckStateOf = (check: string) => 'up' | 'down' | undefined;

/** What the engine needs of the upstream resolver. */
export interface AliasUpstream {
  track(wanted: Iterable<readonly [name: string, type: AddressType]>): void;
  get(name: string, type: AddressType): UpstreamView;
  settled(limitMs: number): Promise<void>;
}

/** Options of a FailoverEngine. */
export interface FailoverOptions {
  readonly log: Logger;
  readonly upstream: AliasUpstream;
  /** Called with the ids of the records whose answer changed. */
  readonly onChange: (ids: readonly number[]) => void;
  /** How long attach() waits for the first upstream answers (default 3 s). */
  readonly settleMs?: number;
  readonly now?: () => number;
}

/** One target of a record as /status shows it. */
export interface TargetStatus {
  readonly value: string;
  readonly check?: string;
  /** 'up' or 'down' from the check; 'up' when the target has no check. */
  readonly state: 'up' | 'down';
}

/** A failover or ALIAS record as /status shows it. */
export interface RecordStatus {
  readonly zone: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME' | 'ALIAS';
  /** The values answered now: addresses, or the CNAME target. */
  readonly answer: readonly string[];
  /** Index of the first target answered, -1 when none (nodata, servfail). */
  readonly active: number;
  /** Why: the checks that are down, or the ALIAS resolution state. */
  readonly reason: string;
  /** When the answer last changed (epoch ms); when it was first computed otherwise. */
  readonly since: number;
  readonly targets: readonly TargetStatus[];
}

/** The computed answer of one record, and what /status says about it. */
interface Outcome {
  /** Per type code the record answers: its RRset (undefined: no data) and outcome. */
  readonly parts: readonly {
    code: number;
    rrset: RecordSet | undefined;
    servfail: boolean;
    ede: number;
  }[];
  readonly answer: string[];
  readonly active: number;
  readonly reason: string;
}

/** What the engine keeps per record between computations. */
interface Tracked {
  readonly record: DynamicRecord;
  readonly zone: string;
  /** The last answer computed for this name and type, '' before the first; kept over reloads. */
  fingerprint: string;
  /** True once this record's node holds the answer of `fingerprint`. */
  applied: boolean;
  outcome: Outcome;
  since: number;
}

/** One resolution of an ALIAS target for one address type. */
type Resolved =
  | { kind: 'data'; addresses: string[]; ttlSeconds: number; ede: number }
  | { kind: 'servfail'; ede: number; reason: string };

/** Keeps failover and ALIAS answers in step with health and upstream state. */
export class FailoverEngine {
  readonly #log: Logger;
  readonly #upstream: AliasUpstream;
  readonly #onChange: (ids: readonly number[]) => void;
  readonly #settleMs: number;
  readonly #now: () => number;
  #zones: ZoneSet | undefined;
  #checkState: CheckStateOf = () => undefined;
  #tracked: Tracked[] = [];
  #byCheck = new Map<string, Tracked[]>();
  #aliases: Tracked[] = [];
  #logBudget = MAX_CHANGE_LINES;
  #omitted = 0;
  /** Answers by "name type", kept across reloads so an unchanged record logs nothing. */
  #previous = new Map<string, Tracked>();

  constructor(options: FailoverOptions) {
    this.#log = options.log;
    this.#upstream = options.upstream;
    this.#onChange = options.onChange;
    this.#settleMs = options.settleMs ?? 3_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes over the records of `zones` (at start and after each reload) and
   * computes every answer before returning, waiting up to `settleMs` for
   * the first resolution of ALIAS targets outside vigil's zones.
   */
  async attach(zones: ZoneSet, checkState: CheckStateOf): Promise<void> {
    this.#zones = zones;
    this.#checkState = checkState;
    const tracked: Tracked[] = [];
    const byCheck = new Map<string, Tracked[]>();
    for (const zone of zones.zones) {
      for (const record of zone.dynamic) {
        const key = keyOf(record.declared);
        const before = this.#previous.get(key);
        // A reused zone keeps its nodes, already written; a recompiled one starts blank.
        const entry: Tracked = {
          record,
          zone: zone.origin,
          fingerprint: before?.fingerprint ?? '',
          applied: before?.record === record,
          outcome: before?.outcome ?? EMPTY_OUTCOME,
          since: before?.since ?? this.#now(),
        };
        tracked.push(entry);
        for (const target of record.declared.failover?.targets ?? []) {
          if (target.check === undefined) continue;
          const list = byCheck.get(target.check) ?? [];
          if (!list.includes(entry)) list.push(entry);
          byCheck.set(target.check, list);
        }
      }
    }
    this.#tracked = tracked;
    this.#byCheck = byCheck;
    this.#aliases = tracked.filter((t) => t.record.declared.type === 'ALIAS');
    this.#previous = new Map(tracked.map((t) => [keyOf(t.record.declared), t]));

    this.#beginEvent();
    this.#upstream.track(this.#upstreamNames());
    // Records new to this configuration get their first answer without a log line.
    const quiet = new Set(tracked.filter((t) => t.fingerprint === ''));
    const plain = tracked.filter((t) => t.record.declared.type !== 'ALIAS');
    let changed = this.#recompute(plain, quiet).length + this.#recomputeAliases(quiet).length;
    this.#endEvent(changed, { cause: 'load' });
    if (this.#aliases.length > 0) {
      await this.#upstream.settled(this.#settleMs);
      this.#beginEvent();
      changed = this.#recomputeAliases(quiet).length;
      this.#endEvent(changed, { cause: 'load' });
    }
  }

  /** A check changed state: recompute the records that use it, then every ALIAS. */
  checkChanged(check: string): void {
    const started = performance.now();
    this.#beginEvent();
    const changed = this.#recompute(this.#byCheck.get(check) ?? [], NONE);
    changed.push(...this.#recomputeAliases(NONE));
    if (changed.length > 0) this.#onChange(changed);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.#endEvent(changed.length, { check, durationMs });
  }

  /** An upstream answer changed: recompute every ALIAS. */
  upstreamChanged(): void {
    this.#beginEvent();
    const changed = this.#recomputeAliases(NONE);
    if (changed.length > 0) this.#onChange(changed);
    this.#endEvent(changed.length, { cause: 'upstream' });
  }

  #beginEvent(): void {
    this.#logBudget = MAX_CHANGE_LINES;
    this.#omitted = 0;
  }

  /** One summary line when the event changed more answers than it logged. */
  #endEvent(changed: number, fields: object): void {
    if (this.#omitted === 0) return;
    const omitted = this.#omitted;
    this.#omitted = 0;
    this.#log.info({ ...fields, changed, logged: MAX_CHANGE_LINES, omitted }, 'answers changed');
  }

  /** Owner names of the records that use `check`, for webhooks. */
  recordsUsing(check: string): string[] {
    return (this.#byCheck.get(check) ?? []).map((t) => keyOf(t.record.declared));
  }

  /** Every failover and ALIAS record with its current answer. */
  status(): RecordStatus[] {
    return this.#tracked.map((t) => {
      const declared = t.record.declared;
      return {
        zone: t.zone,
        name: declared.name,
        type: declared.type as RecordStatus['type'],
        answer: t.outcome.answer,
        active: t.outcome.active,
        reason: t.outcome.reason,
        since: t.since,
        targets: declared.records.map((data, i) => {
          const check = declared.failover?.targets[i]?.check;
          const value = valueOf(data);
          const state = this.#healthy(check) ? 'up' : 'down';
          return check === undefined ? { value, state } : { value, check, state };
        }),
      };
    });
  }

  /**
   * Recomputes `entries` and writes the answers that changed into their
   * nodes; returns the ids of those records. A change is logged unless the
   * entry is in `quiet` (its first answer in this configuration).
   */
  #recompute(entries: readonly Tracked[], quiet: ReadonlySet<Tracked>): number[] {
    const changed: number[] = [];
    for (const entry of entries) {
      const outcome =
        entry.record.declared.type === 'ALIAS' ? this.#aliasOutcome(entry) : this.#outcome(entry);
      const fingerprint = JSON.stringify(
        outcome.parts.map((p) => [p.rrset?.records, p.rrset?.ttlSeconds, p.servfail, p.ede]),
      );
      if (fingerprint === entry.fingerprint && entry.applied) continue;
      for (const part of outcome.parts) {
        setDynamicAnswer(entry.record, part.code, part.rrset, part);
      }
      entry.applied = true;
      if (fingerprint === entry.fingerprint) {
        changed.push(entry.record.id);
        continue;
      }
      if (!quiet.has(entry) && this.#logBudget-- <= 0) {
        this.#omitted++;
      } else if (!quiet.has(entry)) {
        this.#log.info(
          {
            record: entry.record.declared.name,
            type: entry.record.declared.type,
            from: entry.outcome.answer,
            to: outcome.answer,
            reason: outcome.reason,
          },
          'answer changed',
        );
      }
      entry.fingerprint = fingerprint;
      entry.outcome = outcome;
      entry.since = this.#now();
      changed.push(entry.record.id);
    }
    return changed;
  }

  /** ALIAS records read each other's answers: repeat until nothing changes. */
  #recomputeAliases(quiet: ReadonlySet<Tracked>): number[] {
    const changed: number[] = [];
    for (let pass = 0; pass <= this.#aliases.length; pass++) {
      const round = this.#recompute(this.#aliases, quiet);
      if (round.length === 0) break;
      changed.push(...round);
    }
    return changed;
  }

  /** Which targets a record answers now, from the state of their checks. */
  #choose(declared: RecordSet): { chosen: number[]; allDown: boolean; reason: string } {
    const spec = declared.failover;
    if (spec === undefined) return { chosen: [0], allDown: false, reason: 'no checks' };
    const down: string[] = [];
    const healthy: number[] = [];
    spec.targets.forEach((target, i) => {
      if (this.#healthy(target.check)) healthy.push(i);
      else down.push(target.check!);
    });
    const reason = down.length === 0 ? 'all targets up' : `${[...new Set(down)].join(', ')} down`;
    if (healthy.length > 0) {
      return { chosen: spec.select === 'all' ? healthy : [healthy[0]!], allDown: false, reason };
    }
    const all = spec.targets.map((_, i) => i);
    const why = `${reason}; when_all_down: ${spec.whenAllDown}`;
    switch (spec.whenAllDown) {
      case 'first':
        return { chosen: [0], allDown: true, reason: why };
      case 'all':
        return { chosen: all, allDown: true, reason: why };
      default:
        return { chosen: [], allDown: true, reason: why };
    }
  }

  #healthy(check: string | undefined): boolean {
    return check === undefined || this.#checkState(check) !== 'down';
  }

  /** The answer of an A, AAAA or CNAME failover record. */
  #outcome(entry: Tracked): Outcome {
    const declared = entry.record.declared;
    const code = TYPE_CODE[declared.type as 'A' | 'AAAA' | 'CNAME'];
    const { chosen, allDown, reason } = this.#choose(declared);
    const servfail = allDown && declared.failover?.whenAllDown === 'servfail';
    const records = chosen.map((i) => declared.records[i]!);
    const rrset = records.length === 0 ? undefined : { ...declared, records, failover: undefined };
    return {
      parts: [{ code, rrset, servfail, ede: servfail ? EDE.ALL_DOWN : 0 }],
      answer: records.map(valueOf),
      active: chosen[0] ?? -1,
      reason,
    };
  }

  /** The A and AAAA answers of an ALIAS record, flattened from its chosen targets. */
  #aliasOutcome(entry: Tracked): Outcome {
    const declared = entry.record.declared as RecordSet<'ALIAS'>;
    const { chosen, allDown, reason } = this.#choose(declared);
    const servfailAll = allDown && declared.failover?.whenAllDown === 'servfail';
    const answer: string[] = [];
    const notes: string[] = [];
    const parts = (['A', 'AAAA'] as const).map((type) => {
      const code = TYPE_CODE[type];
      if (servfailAll) return { code, rrset: undefined, servfail: true, ede: EDE.ALL_DOWN };
      const results = chosen.map((i) => this.#resolve(declared.records[i]!.target, type));
      const data = results.filter(
        (r): r is Extract<Resolved, { kind: 'data' }> => r.kind === 'data',
      );
      for (const r of results) if (r.kind === 'servfail') notes.push(`${type}: ${r.reason}`);
      if (results.length > 0 && data.length === 0) {
        const failed = results[0] as Extract<Resolved, { kind: 'servfail' }>;
        return { code, rrset: undefined, servfail: true, ede: failed.ede };
      }
      const addresses = [...new Set(data.flatMap((r) => r.addresses))];
      answer.push(...addresses);
      const stale = data.some((r) => r.ede === EDE.STALE);
      if (stale) notes.push(`${type}: stale`);
      const ttlSeconds = Math.min(declared.ttlSeconds, ...data.map((r) => r.ttlSeconds));
      const rrset: RecordSet | undefined =
        addresses.length === 0
          ? undefined
          : {
              name: declared.name,
              type,
              ttlSeconds,
              records: addresses.map((address) => ({ address })),
              source: declared.source,
            };
      return { code, rrset, servfail: false, ede: stale ? EDE.STALE : 0 };
    });
    return {
      parts,
      answer,
      active: chosen[0] ?? -1,
      reason: [reason, ...notes].join('; '),
    };
  }

  /**
   * The addresses of `name` for `type`: from vigil's own zones while the
   * chain stays in them (failover records there included), then from the
   * upstream resolver. The TTL is the lowest along the chain.
   */
  #resolve(start: string, type: AddressType): Resolved {
    const zones = this.#zones!;
    let name = start;
    let ttlSeconds = Number.MAX_SAFE_INTEGER;
    for (let hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
      const zone = zones.find(name);
      if (zone === undefined) return fromUpstream(this.#upstream.get(name, type), name, ttlSeconds);
      const result = lookup(zone, name, TYPE_CODE[type]);
      if (result.rcode === Rcode.SERVFAIL) {
        return { kind: 'servfail', ede: result.ede, reason: `${name} answers SERVFAIL` };
      }
      if (!result.authoritative) {
        return fromUpstream(this.#upstream.get(name, type), name, ttlSeconds);
      }
      const addresses: string[] = [];
      let last: RecordSet | undefined;
      for (const entry of result.answer) {
        ttlSeconds = Math.min(ttlSeconds, entry.ttlSeconds ?? entry.rrset.ttlSeconds);
        last = entry.rrset;
        if (entry.rrset.type === type) {
          for (const r of (entry.rrset as RecordSet<'A'>).records) addresses.push(r.address);
        }
      }
      if (addresses.length > 0) return { kind: 'data', addresses, ttlSeconds, ede: result.ede };
      const target =
        last?.type === 'CNAME' ? (last as RecordSet<'CNAME'>).records[0]?.target : undefined;
      if (target !== undefined && !inZone(zone, target)) {
        name = target;
        continue;
      }
      const negative = Math.min(ttlSeconds, zone.negativeTtlSeconds);
      return { kind: 'data', addresses: [], ttlSeconds: negative, ede: result.ede };
    }
    return {
      kind: 'servfail',
      ede: EDE.LOOP,
      reason: `more than ${MAX_ALIAS_HOPS} hops from ${start}`,
    };
  }

  /**
   * The names outside vigil's zones that an ALIAS may have to resolve, over
   * every alternative of the failover records on the way, so a failover
   * never waits for a first upstream answer.
   */
  #upstreamNames(): [string, AddressType][] {
    const zones = this.#zones!;
    const names = new Set<string>();
    const seen = new Set<string>();
    const walk = (name: string, depth: number): void => {
      if (seen.has(name) || depth > MAX_ALIAS_HOPS) return;
      seen.add(name);
      const zone = zones.find(name);
      if (zone === undefined) return void names.add(name);
      const node = zone.node(name);
      if (node === undefined) return;
      for (const record of node.dynamic ?? []) {
        if (record.declared.type !== 'CNAME' && record.declared.type !== 'ALIAS') continue;
        for (const r of (record.declared as RecordSet<'CNAME'>).records) walk(r.target, depth + 1);
      }
      const cname = zone.rrset(node, TYPE_CODE.CNAME) as RecordSet<'CNAME'> | undefined;
      if (cname !== undefined) for (const r of cname.records) walk(r.target, depth + 1);
    };
    for (const alias of this.#aliases) {
      for (const r of (alias.record.declared as RecordSet<'ALIAS'>).records) walk(r.target, 0);
    }
    return [...names].flatMap((name) => [
      [name, 'A'],
      [name, 'AAAA'],
    ]);
  }
}

const EMPTY_OUTCOME: Outcome = { parts: [], answer: [], active: -1, reason: '' };
const NONE: ReadonlySet<Tracked> = new Set();

function keyOf(declared: RecordSet): string {
  return `${declared.name} ${declared.type}`;
}

/** The presentation value of a failover target: an address or a name. */
function valueOf(data: unknown): string {
  const d = data as { address?: string; target?: string };
  return d.address ?? d.target ?? '';
}

function fromUpstream(view: UpstreamView, name: string, ttlSeconds: number): Resolved {
  switch (view.kind) {
    case 'fresh':
      return {
        kind: 'data',
        addresses: [...view.addresses],
        ttlSeconds: Math.min(ttlSeconds, view.ttlSeconds),
        ede: 0,
      };
    case 'stale':
      return {
        kind: 'data',
        addresses: [...view.addresses],
        ttlSeconds: Math.min(ttlSeconds, STALE_TTL_SECONDS),
        ede: EDE.STALE,
      };
    case 'pending':
      return { kind: 'servfail', ede: EDE.NOT_RESOLVED, reason: `${name} not resolved yet` };
    case 'failed':
      return { kind: 'servfail', ede: EDE.UNREACHABLE, reason: `${name}: ${view.reason}` };
  }
}
