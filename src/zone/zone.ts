/**
 * A zone compiled for lookup: every owner name and every empty non-terminal
 * becomes a node in one Map keyed by absolute lowercase name, so finding a
 * name is one hash lookup and walking towards the apex is a few more.
 */
import { TYPE_CODE, type RecordSet, type RecordType, type ZoneSource } from './types.js';

/** One name in a zone: its RRsets by wire type code, and whether it is a cut. */
export interface ZoneNode {
  readonly name: string;
  /** RRsets by type code. ALIAS has no code and is kept in `alias`. */
  readonly rrsets: Map<number, RecordSet>;
  /** The ALIAS/ANAME record at this name, if any; served by the failover resolver. */
  alias: RecordSet | undefined;
  /** A delegation point: a name below the apex that holds NS (RFC 1034 §4.2.1). */
  cut: boolean;
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

  constructor(source: ZoneSource) {
    this.origin = source.origin;
    this.source = source;
    this.#nodes = new Map();
    let cuts = false;
    let wildcards = false;

    for (const rrset of source.rrsets) {
      const node = this.#ensureNode(rrset.name);
      if (rrset.type === 'ALIAS') {
        node.alias = rrset;
        continue;
      }
      node.rrsets.set(TYPE_CODE[rrset.type as Exclude<RecordType, 'ALIAS'>], rrset);
      if (rrset.type === 'NS' && rrset.name !== this.origin) {
        node.cut = true;
        cuts = true;
      }
      if (rrset.name.startsWith('*.')) wildcards = true;
    }

    const apex = this.#nodes.get(this.origin);
    const soa = apex?.rrsets.get(TYPE_CODE.SOA) as RecordSet<'SOA'> | undefined;
    if (apex === undefined || soa === undefined) {
      throw new TypeError(`zone ${this.origin} has no SOA at its apex`);
    }
    this.apex = apex;
    this.soa = soa;
    this.negativeTtlSeconds = Math.min(soa.ttlSeconds, soa.records[0]?.minimum ?? 0);
    this.hasCuts = cuts;
    this.hasWildcards = wildcards;
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
    return node.rrsets.get(typeCode);
  }

  /** Creates the node for `name` and every empty non-terminal up to the apex. */
  #ensureNode(name: string): ZoneNode {
    let node = this.#nodes.get(name);
    if (node !== undefined) return node;
    node = { name, rrsets: new Map(), alias: undefined, cut: false };
    this.#nodes.set(name, node);

    let parent = name;
    while (parent !== this.origin && parent.length > this.origin.length) {
      parent = parent.slice(parent.indexOf('.') + 1);
      if (this.#nodes.has(parent)) break;
      this.#nodes.set(parent, { name: parent, rrsets: new Map(), alias: undefined, cut: false });
    }
    return node;
  }
}
