/**
 * A zone compiled for lookup: every owner name and every empty non-terminal
 * becomes a node in one Map keyed by absolute lowercase name, so finding a
 * name is one hash lookup and walking towards the apex is a few more.
 */
import { TYPE_CODE, type RecordSet, type RecordType, type ZoneSource } from './types.js';

/** wire/opt.ts EDE.NOT_RESOLVED; the zone layer does not import the wire layer. */
const EDE_NOT_RESOLVED = 2;

/**
 * One name in a zone: its RRsets with their wire type codes, and whether it
 * is a cut. Two short arrays rather than a Map: most names hold one or two
 * RRsets, and a Map per name cost about 200 octets, 20 MB for 100,000 names.
 */
export interface ZoneNode {
  readonly name: string;
  /** Type codes, in step with `rrsets`. ALIAS has no code: its answers appear as A and AAAA. */
  codes: readonly number[];
  rrsets: readonly RecordSet[];
  /** Failover and ALIAS records at this name; undefined at the (many) plain names. */
  dynamic: readonly DynamicRecord[] | undefined;
  /** A delegation point: a name below the apex that holds NS (RFC 1034 §4.2.1). */
  cut: boolean;
}

/** Wire code of SERVFAIL (RFC 1035 §4.1.1). */
const SERVFAIL = 2;

/**
 * A failover or ALIAS record: its answer is not in the file but computed
 * from health and resolution state by the failover engine, which writes the
 * chosen RRset into the node's `codes`/`rrsets` and its outcome here.
 * Lookups read this to know which cached answers depend on the record and
 * whether the record answers SERVFAIL now.
 */
export interface DynamicRecord {
  /** Unique in the process; tags the cached answers that depend on the record. */
  readonly id: number;
  /** The record as declared, `failover` spec and every target included. */
  readonly declared: RecordSet;
  readonly node: ZoneNode;
  /** Query types it answers: [A], [AAAA], [A, AAAA] for ALIAS, [CNAME] for CNAME. */
  readonly codes: readonly number[];
  /** A CNAME answers queries of every type at its name. */
  readonly everyType: boolean;
  /** Per entry of `codes`: 0, or SERVFAIL when the record cannot answer now. */
  rcodes: number[];
  /** Per entry of `codes`: the EDE index to attach (wire/opt.ts EDE), 0 for none. */
  edes: number[];
}

let nextDynamicId = 1;

/** The record's data as the engine sets it: `rrset` or none for `code`, with an outcome. */
export function setDynamicAnswer(
  record: DynamicRecord,
  code: number,
  rrset: RecordSet | undefined,
  outcome: { servfail: boolean; ede: number },
): void {
  const node = record.node;
  const at = node.codes.indexOf(code);
  if (rrset === undefined && at >= 0) {
    node.codes = node.codes.filter((_, i) => i !== at);
    node.rrsets = node.rrsets.filter((_, i) => i !== at);
  } else if (rrset !== undefined && at >= 0) {
    node.rrsets = node.rrsets.map((r, i) => (i === at ? rrset : r));
  } else if (rrset !== undefined) {
    node.codes = node.codes.concat(code);
    node.rrsets = node.rrsets.concat(rrset);
  }
  const slot = record.everyType ? 0 : record.codes.indexOf(code);
  record.rcodes[slot] = outcome.servfail ? SERVFAIL : 0;
  record.edes[slot] = outcome.ede;
}

/** RRsets indexed per slice when a zone is compiled without blocking. */
export const DEFAULT_COMPILE_SLICE = 1_000;

/**
 * The name index of a zone under construction. Adding RRsets is the whole
 * cost of compiling; doing it in slices lets a reload of a large zone
 * compile between queries rather than in one block.
 */
export class NodeIndex {
  readonly nodes = new Map<string, ZoneNode>();
  /** Failover and ALIAS records, in file order. */
  readonly dynamic: DynamicRecord[] = [];
  cuts = false;
  wildcards = false;
  readonly #origin: string;

  constructor(origin: string) {
    this.#origin = origin;
  }

  /** Indexes every RRset of `source` in one go. */
  static of(source: ZoneSource): NodeIndex {
    const index = new NodeIndex(source.origin);
    for (const rrset of source.rrsets) index.add(rrset);
    return index;
  }

  /** Indexes `source` in slices of `sliceSize`, yielding to the event loop between them. */
  static async inSlices(source: ZoneSource, sliceSize = DEFAULT_COMPILE_SLICE): Promise<NodeIndex> {
    const index = new NodeIndex(source.origin);
    const rrsets = source.rrsets;
    for (let i = 0; i < rrsets.length; i++) {
      index.add(rrsets[i]!);
      if (i % sliceSize === sliceSize - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    return index;
  }

  /** Adds one RRset to its node, creating the node and its empty non-terminals. */
  add(rrset: RecordSet): void {
    const node = this.#ensureNode(rrset.name);
    if (rrset.type === 'ALIAS' || rrset.failover !== undefined) {
      this.#addDynamic(node, rrset);
      if (rrset.name.startsWith('*.')) this.wildcards = true;
      return;
    }
    // New arrays of exact length: push, and spread too, reserve room for
    // 17 elements, which cost 20 MB on a 100,000-name zone.
    const code = TYPE_CODE[rrset.type as Exclude<RecordType, 'ALIAS'>];
    node.codes = node.codes.length === 0 ? [code] : node.codes.concat(code);
    node.rrsets = node.rrsets.length === 0 ? [rrset] : node.rrsets.concat(rrset);
    if (rrset.type === 'NS' && rrset.name !== this.#origin) {
      node.cut = true;
      this.cuts = true;
    }
    if (rrset.name.startsWith('*.')) this.wildcards = true;
  }

  /**
   * Registers a failover or ALIAS record. Until the engine computes its
   * answer, a failover record answers its first target and an ALIAS
   * answers SERVFAIL (not resolved yet).
   */
  #addDynamic(node: ZoneNode, rrset: RecordSet): void {
    const alias = rrset.type === 'ALIAS';
    const codes = alias ? [TYPE_CODE.A, TYPE_CODE.AAAA] : [TYPE_CODE[rrset.type as 'A']];
    const record: DynamicRecord = {
      id: nextDynamicId++,
      declared: rrset,
      node,
      codes,
      everyType: rrset.type === 'CNAME',
      rcodes: codes.map(() => (alias ? SERVFAIL : 0)),
      edes: codes.map(() => (alias ? EDE_NOT_RESOLVED : 0)),
    };
    node.dynamic = node.dynamic === undefined ? [record] : node.dynamic.concat(record);
    this.dynamic.push(record);
    if (!alias) {
      const first = { ...rrset, records: rrset.records.slice(0, 1), failover: undefined };
      setDynamicAnswer(record, codes[0]!, first, { servfail: false, ede: 0 });
    }
  }

  /** Creates the node for `name` and every empty non-terminal up to the apex. */
  #ensureNode(name: string): ZoneNode {
    let node = this.nodes.get(name);
    if (node !== undefined) return node;
    node = emptyNode(name);
    this.nodes.set(name, node);

    let parent = name;
    while (parent !== this.#origin && parent.length > this.#origin.length) {
      parent = parent.slice(parent.indexOf('.') + 1);
      if (this.nodes.has(parent)) break;
      this.nodes.set(parent, emptyNode(parent));
    }
    return node;
  }
}

/** A compiled zone, immutable once built. */
export class Zone {
  readonly origin: string;
  readonly source: ZoneSource;
  readonly apex: ZoneNode;
  readonly soa: RecordSet<'SOA'>;
  /** TTL of the SOA in negative answers: min(SOA TTL, SOA minimum), RFC 2308 §3. */
  readonly negativeTtlSeconds: number;
  /** True when the zone holds at least one delegation; lets lookups skip the cut walk. */
  readonly hasCuts: boolean;
  /** True when the zone holds at least one wildcard owner. */
  readonly hasWildcards: boolean;
  /** The zone's failover and ALIAS records; the failover engine computes their answers. */
  readonly dynamic: readonly DynamicRecord[];
  readonly #nodes: Map<string, ZoneNode>;

  /** Compiles `source`, or takes the index already built from it. */
  constructor(source: ZoneSource, index: NodeIndex = NodeIndex.of(source)) {
    this.origin = source.origin;
    this.source = source;
    this.#nodes = index.nodes;

    const apex = this.#nodes.get(this.origin);
    const soa = apex && (this.rrset(apex, TYPE_CODE.SOA) as RecordSet<'SOA'> | undefined);
    if (apex === undefined || soa === undefined) {
      throw new TypeError(`zone ${this.origin} has no SOA at its apex`);
    }
    this.apex = apex;
    this.soa = soa;
    this.negativeTtlSeconds = Math.min(soa.ttlSeconds, soa.records[0]?.minimum ?? 0);
    this.hasCuts = index.cuts;
    this.hasWildcards = index.wildcards;
    this.dynamic = index.dynamic;
  }

  /** The node at `name` (absolute, lowercase), an empty non-terminal included. */
  node(name: string): ZoneNode | undefined {
    return this.#nodes.get(name);
  }

  /** Number of names, empty non-terminals included. */
  get nodeCount(): number {
    return this.#nodes.size;
  }

  /** Number of RRsets, the SOA and ALIAS records included. */
  get rrsetCount(): number {
    return this.source.rrsets.length;
  }

  /**
   * The RRset of `typeCode` at `node`. Every answer's data is read through
   * this one method, so a resolver that computes data from health state can
   * take over here without touching the lookup algorithm.
   */
  rrset(node: ZoneNode, typeCode: number): RecordSet | undefined {
    const at = node.codes.indexOf(typeCode);
    return at < 0 ? undefined : node.rrsets[at];
  }
}

function emptyNode(name: string): ZoneNode {
  return { name, codes: [], rrsets: [], dynamic: undefined, cut: false };
}
