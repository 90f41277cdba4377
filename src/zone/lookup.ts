/**
 * The authoritative lookup of RFC 1034 §4.3.2 with its updates: exact
 * matches, CNAME chains (RFC 6604 rcodes), wildcards (RFC 4592),
 * delegations with glue (RFC 9471), negative answers (RFC 2308) and the
 * minimal ANY answer of RFC 8482. It returns sections of RRsets; turning
 * them into bytes is the wire layer's job.
 */
import { TYPE_CODE, type RecordSet } from './types.js';
import type { DynamicRecord, Zone, ZoneNode } from './zone.js';

/** Response codes the lookup can produce (RFC 1035 §4.1.1). */
export const Rcode = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
/** One of the lookup's response codes. */
export type Rcode = (typeof Rcode)[keyof typeof Rcode];

const QTYPE_ANY = 255;
/** CNAME chains longer than this stop, answering what was found so far. */
export const DEFAULT_MAX_CHAIN = 12;

/** One RRset in a section, written with `owner` (wildcard synthesis renames it). */
export interface SectionEntry {
  readonly owner: string;
  readonly rrset: RecordSet;
  /** Overrides the RRset's TTL (the SOA of a negative answer, RFC 2308 §3). */
  readonly ttlSeconds?: number;
}

/** What the lookup decided; the encoder writes it as a message. */
export interface LookupResult {
  readonly rcode: Rcode;
  /** AA: clear on referrals. */
  readonly authoritative: boolean;
  readonly answer: SectionEntry[];
  readonly authority: SectionEntry[];
  /** Glue for a referral; a reply without it must be truncated (RFC 9471 §3). */
  readonly requiredAdditional: SectionEntry[];
  /** Addresses of MX, SRV and NS targets; dropped first when space is short. */
  readonly optionalAdditional: SectionEntry[];
  /** Extended DNS Error index (wire/opt.ts EDE) to attach, 0 for none. */
  ede: number;
  /** Ids of the failover and ALIAS records the answer was read from. */
  readonly dependsOn: number[];
}

const A = TYPE_CODE.A;
const AAAA = TYPE_CODE.AAAA;
const CNAME = TYPE_CODE.CNAME;
const NS = TYPE_CODE.NS;
const DS = TYPE_CODE.DS;

/** Looks `qname` (absolute, lowercase) up in `zone`, which must enclose it. */
export function lookup(zone: Zone, qname: string, qtype: number): LookupResult {
  const result: LookupResult = {
    rcode: Rcode.NOERROR,
    authoritative: true,
    answer: [],
    authority: [],
    requiredAdditional: [],
    optionalAdditional: [],
    ede: 0,
    dependsOn: [],
  };
  const seen = new Set<string>();
  let name = qname;

  for (let step = 0; step < DEFAULT_MAX_CHAIN; step++) {
    seen.add(name);
    const next = answerName(zone, name, qtype, result, step === 0);
    // RFC 1034 §4.3.2 step 3a: restart at the CNAME target while it stays in
    // this zone. A target outside the zone is left to the resolver.
    if (next === undefined || seen.has(next) || !inZone(zone, next)) break;
    name = next;
  }
  return result;
}

/** True when `name` is at or below the zone's origin. */
export function inZone(zone: Zone, name: string): boolean {
  const origin = zone.origin;
  if (origin === '.') return true;
  return (
    name === origin ||
    (name.length > origin.length &&
      name.endsWith(origin) &&
      name.charCodeAt(name.length - origin.length - 1) === 46)
  );
}

/**
 * Answers one name of a chain into `result`. Returns the CNAME target to
 * follow, or undefined when the chain ends here.
 */
function answerName(
  zone: Zone,
  name: string,
  qtype: number,
  result: LookupResult,
  first: boolean,
): string | undefined {
  const cut = zone.hasCuts ? findCut(zone, name, qtype) : undefined;
  if (cut !== undefined) {
    referral(zone, cut, result, first);
    return undefined;
  }

  let node = zone.node(name);
  if (node === undefined) {
    node = wildcardSource(zone, name);
    if (node === undefined) {
      (result as { rcode: Rcode }).rcode = Rcode.NXDOMAIN;
      negative(zone, result);
      return undefined;
    }
  }

  if (node.dynamic !== undefined && consultDynamic(node.dynamic, qtype, result)) return undefined;

  const cname = qtype === CNAME ? undefined : zone.rrset(node, CNAME);
  if (cname !== undefined) {
    result.answer.push({ owner: name, rrset: cname });
    return (cname as RecordSet<'CNAME'>).records[0]?.target;
  }

  const rrset = qtype === QTYPE_ANY ? anyRrset(zone, node) : zone.rrset(node, qtype);
  if (rrset === undefined) {
    negative(zone, result);
    return undefined;
  }
  result.answer.push({ owner: name, rrset });
  addTargetAddresses(zone, rrset, result.optionalAdditional, false, result);
  return undefined;
}

/**
 * Notes the failover and ALIAS records at a node that decide the answer to
 * `qtype`. Returns true, after turning the result into SERVFAIL, when one of
 * them cannot answer now; a stale ALIAS answer carries its EDE.
 */
function consultDynamic(
  records: readonly DynamicRecord[],
  qtype: number,
  result: LookupResult,
): boolean {
  for (const record of records) {
    const at = record.everyType ? 0 : record.codes.indexOf(qtype);
    if (at < 0 && qtype !== QTYPE_ANY) continue;
    result.dependsOn.push(record.id);
    if (at < 0) continue;
    if (record.rcodes[at] === Rcode.SERVFAIL) {
      (result as { rcode: Rcode }).rcode = Rcode.SERVFAIL;
      result.ede = record.edes[at]!;
      result.answer.length = 0;
      result.authority.length = 0;
      result.optionalAdditional.length = 0;
      return true;
    }
    if (record.edes[at] !== 0) result.ede = record.edes[at]!;
  }
  return false;
}

/**
 * The highest delegation point at or above `name`, below the apex. A DS
 * query at the cut itself is answered from the parent side (RFC 4035 §3.1.4.1).
 */
function findCut(zone: Zone, name: string, qtype: number): ZoneNode | undefined {
  const stop = name.length - zone.origin.length;
  let found: ZoneNode | undefined;
  let at = stop - 1;
  while (at > 0) {
    const dot = name.lastIndexOf('.', at - 1);
    const candidate = name.slice(dot + 1);
    const node = zone.node(candidate);
    if (node === undefined) break;
    if (node.cut && !(candidate === name && qtype === DS)) {
      found = node;
      break;
    }
    at = dot;
    if (dot < 0) break;
  }
  return found;
}

/** A referral: NS of the cut in authority, AA clear, glue in additional. */
function referral(zone: Zone, cut: ZoneNode, result: LookupResult, first: boolean): void {
  const ns = zone.rrset(cut, NS);
  if (ns === undefined) return;
  if (first) (result as { authoritative: boolean }).authoritative = false;
  result.authority.push({ owner: cut.name, rrset: ns });
  addTargetAddresses(zone, ns, result.requiredAdditional, true, result);
}

/**
 * RFC 4592 §3.3.1: the source of synthesis is `*.` + the closest encloser,
 * and only for names that do not exist (empty non-terminals exist).
 */
function wildcardSource(zone: Zone, name: string): ZoneNode | undefined {
  if (!zone.hasWildcards) return undefined;
  let encloser = name;
  while (encloser !== zone.origin) {
    encloser = encloser.slice(encloser.indexOf('.') + 1);
    if (zone.node(encloser) !== undefined) break;
  }
  return zone.node(encloser === '.' ? '*.' : `*.${encloser}`);
}

/** NODATA and NXDOMAIN carry the SOA, with the RFC 2308 §3 TTL. */
function negative(zone: Zone, result: LookupResult): void {
  result.authority.push({
    owner: zone.origin,
    rrset: zone.soa,
    ttlSeconds: zone.negativeTtlSeconds,
  });
}

/**
 * RFC 8482 §4.2: answer ANY with one RRset rather than all of them. The
 * lowest type code wins, so the choice is stable across reloads.
 */
function anyRrset(zone: Zone, node: ZoneNode): RecordSet | undefined {
  let best: number | undefined;
  for (const code of node.codes) if (best === undefined || code < best) best = code;
  return best === undefined ? undefined : zone.rrset(node, best);
}

/** Adds in-zone A/AAAA of the names an MX, SRV or NS RRset points at. */
function addTargetAddresses(
  zone: Zone,
  rrset: RecordSet,
  into: SectionEntry[],
  glue: boolean,
  result: LookupResult,
): void {
  for (const target of targetsOf(rrset)) {
    if (!inZone(zone, target)) continue;
    // Below a cut only glue may be given out, and only for NS (RFC 9471 §2).
    if (!glue && zone.hasCuts && findCut(zone, target, A) !== undefined) continue;
    const node = zone.node(target);
    if (node === undefined) continue;
    if (node.dynamic !== undefined) {
      for (const record of node.dynamic) result.dependsOn.push(record.id);
    }
    const a = zone.rrset(node, A);
    const aaaa = zone.rrset(node, AAAA);
    if (a !== undefined && !into.some((e) => e.rrset === a)) into.push({ owner: target, rrset: a });
    if (aaaa !== undefined && !into.some((e) => e.rrset === aaaa)) {
      into.push({ owner: target, rrset: aaaa });
    }
  }
}

function targetsOf(rrset: RecordSet): string[] {
  switch (rrset.type) {
    case 'NS':
      return (rrset as RecordSet<'NS'>).records.map((r) => r.target);
    case 'MX':
      return (rrset as RecordSet<'MX'>).records.map((r) => r.exchange);
    case 'SRV':
      return (rrset as RecordSet<'SRV'>).records.map((r) => r.target);
    default:
      return [];
  }
}
