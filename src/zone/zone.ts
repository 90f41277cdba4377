/**
 * A zone compiled for lookup: every owner name and every empty non-terminal
 * becomes a node in one Map keyed by absolute lowercase name, so finding a
 * name is one hash lookup and walking towards the apex is a few more.
 */
import { TYPE_CODE, type RecordSet, type RecordType, type ZoneSource } from './types.js';

/**
 * One name in a zone: its RRsets with their wire type codes, and whether it
 * is a cut. Two short arrays rather than a Map: most names hold one or two
 * RRsets, and a Map per name cost about 200 octets, 20 MB for 100,000 names.
 */
export interface ZoneNode {
  readonly name: string;
  /** Type codes, in step with `rrsets`. ALIAS has no code and is kept in `alias`. */
  codes: readonly number[];
  rrsets: readonly RecordSet[];
  /** The ALIAS/ANAME record at this name, if any; served by the failover resolver. */
  alias: RecordSet | undefined;
  /** A delegation point: a name below the apex that holds NS (RFC 1034 §4.2.1). */
  cut: boolean;
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
    if (rrset.type === 'ALIAS') {
      node.alias = rrset;
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
  return { name, codes: [], rrsets: [], alias: undefined, cut: false };
}
