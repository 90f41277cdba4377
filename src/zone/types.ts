/**
 * The record model shared by the config loader (which produces it), the zone
 * compiler (which indexes it) and the wire encoder (which writes it).
 *
 * Every domain name in this model is absolute, lowercase, and ends with a
 * dot ('example.com.', root is '.'). Names are matched case-insensitively
 * (RFC 4343); answers echo the question's case through name compression.
 */
import type { SourceLocation } from '../errors.js';

/** Record types a zone file may hold. ALIAS (also spelled ANAME) has no wire code. */
export type RecordType =
  | 'A'
  | 'AAAA'
  | 'CNAME'
  | 'NS'
  | 'MX'
  | 'TXT'
  | 'SPF'
  | 'SRV'
  | 'CAA'
  | 'PTR'
  | 'DS'
  | 'SSHFP'
  | 'TLSA'
  | 'NAPTR'
  | 'SVCB'
  | 'HTTPS'
  | 'SOA'
  | 'ALIAS';

/** IANA type codes (RFC 1035 §3.2.2 and later registrations). ALIAS is absent. */
export const TYPE_CODE: Readonly<Record<Exclude<RecordType, 'ALIAS'>, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  SSHFP: 44,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  CAA: 257,
};

/** One SVCB/HTTPS parameter (RFC 9460 §2.1) in presentation form. */
export interface SvcParam {
  /** Key name (`alpn`, `port`, `ipv4hint`, `ech`, `ipv6hint`, `mandatory`,
   * `no-default-alpn`) or `keyNNNNN`. */
  key: string;
  /** Values as strings; empty for `no-default-alpn`. */
  values: string[];
}

/** The data of one record, by type. Names are absolute and lowercase. */
export interface RDataByType {
  A: { address: string };
  AAAA: { address: string };
  CNAME: { target: string };
  NS: { target: string };
  PTR: { target: string };
  ALIAS: { target: string };
  MX: { preference: number; exchange: string };
  /** Character strings, unescaped, each at most 255 octets in UTF-8. */
  TXT: { strings: string[] };
  SPF: { strings: string[] };
  SRV: { priority: number; weight: number; port: number; target: string };
  CAA: { flags: number; tag: string; value: string };
  /** `digest` is hexadecimal. */
  DS: { keyTag: number; algorithm: number; digestType: number; digest: string };
  /** `fingerprint` is hexadecimal. */
  SSHFP: { algorithm: number; fingerprintType: number; fingerprint: string };
  /** `data` (certificate association data) is hexadecimal. */
  TLSA: { usage: number; selector: number; matchingType: number; data: string };
  NAPTR: {
    order: number;
    preference: number;
    flags: string;
    service: string;
    regexp: string;
    replacement: string;
  };
  SVCB: { priority: number; target: string; params: SvcParam[] };
  HTTPS: { priority: number; target: string; params: SvcParam[] };
  SOA: {
    mname: string;
    rname: string;
    serial: number;
    refresh: number;
    retry: number;
    expire: number;
    minimum: number;
  };
}

/** Any record's data. */
export type RData = RDataByType[RecordType];

/** All records of one type at one name (an RRset, RFC 2181 §5). */
export interface RecordSet<T extends RecordType = RecordType> {
  /** Owner name, absolute and lowercase. */
  readonly name: string;
  readonly type: T;
  readonly ttlSeconds: number;
  /** The data; for a failover record, every target's, in order of preference. */
  readonly records: readonly RDataByType[T][];
  /** Where the record was declared; synthesised records point at the zone file. */
  readonly source: SourceLocation;
  /** Present on failover records (CNAME, ALIAS, A, AAAA): how the answer is chosen. */
  readonly failover?: FailoverSpec;
}

/** Types a failover record may have. */
export type FailoverType = 'A' | 'AAAA' | 'CNAME' | 'ALIAS';

/** Which healthy targets a failover record answers. */
export type FailoverSelect = 'first' | 'all';

/** What a failover record answers when no target is healthy. */
export type WhenAllDown = 'first' | 'all' | 'nodata' | 'servfail';

/** One target of a failover record; its data is `records[i]` of the RecordSet. */
export interface FailoverTarget {
  /** The check that decides its health; absent means always healthy. */
  readonly check?: string;
  /** Where the target was declared, for messages about its check or value. */
  readonly source: SourceLocation;
}

/**
 * vigil's extension of the octoDNS record: `failover:` lists targets in order
 * of preference, each tied to a health check.
 */
export interface FailoverSpec {
  readonly select: FailoverSelect;
  readonly whenAllDown: WhenAllDown;
  /** In step with the RecordSet's `records`. */
  readonly targets: readonly FailoverTarget[];
}

/** One zone as loaded from its file, validated, before compilation. */
export interface ZoneSource {
  /** Zone origin, absolute and lowercase. */
  readonly origin: string;
  /** Path of the zone file it came from. */
  readonly file: string;
  /** Every RRset of the zone, the SOA included (synthesised when absent). */
  readonly rrsets: readonly RecordSet[];
  /** True when the SOA serial was written in the file rather than chosen by vigil. */
  readonly serialPinned: boolean;
  /** sha256 of the zone file's bytes, hex; tells a changed zone at reload. */
  readonly contentHash: string;
}
