/**
 * Numeric protocol constants used on the wire. Names follow the IANA "Domain
 * Name System (DNS) Parameters" registry.
 */

/** Size of the fixed message header in octets (RFC 1035 §4.1.1). */
export const HEADER_SIZE = 12;

/** Largest encoded domain name in octets, length octets included (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;

/** Largest label in octets (RFC 1035 §2.3.4). */
export const MAX_LABEL_OCTETS = 63;

/** Compression pointers carry a 14-bit offset (RFC 1035 §4.1.4). */
export const MAX_POINTER_OFFSET = 0x3fff;

/** Response codes. Values above 15 need an OPT record (RFC 6891 §6.1.3). */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

/** Operation codes (RFC 1035 §4.1.1, RFC 1996, RFC 2136). */
export const OPCODE = {
  QUERY: 0,
  IQUERY: 1,
  STATUS: 2,
  NOTIFY: 4,
  UPDATE: 5,
} as const;

/** Classes (RFC 1035 §3.2.4, RFC 2136 §1). */
export const CLASS = {
  IN: 1,
  CH: 3,
  HS: 4,
  NONE: 254,
  ANY: 255,
} as const;

/** Query-only and meta types that are not in the zone record model. */
export const QTYPE = {
  OPT: 41,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

/** Header flag bits within the 16-bit flags word (RFC 1035 §4.1.1, RFC 4035 §3.2). */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** Mask of the opcode within the flags word. */
export const OPCODE_MASK = 0x7800;

/** Shift that brings the opcode down to bit 0. */
export const OPCODE_SHIFT = 11;

/** Mask of the low four rcode bits within the flags word. */
export const RCODE_MASK = 0x000f;

/** EDNS option codes vigil knows by name (IANA "DNS EDNS0 Option Codes"). */
export const EDNS_OPTION = {
  COOKIE: 10,
  PADDING: 12,
  EDE: 15,
} as const;

/** Extended DNS Error info codes (RFC 8914 §4). */
export const EDE_CODE = {
  OTHER: 0,
  UNSUPPORTED_DNSKEY_ALGORITHM: 1,
  UNSUPPORTED_DS_DIGEST_TYPE: 2,
  STALE_ANSWER: 3,
  FORGED_ANSWER: 4,
  DNSSEC_INDETERMINATE: 5,
  DNSSEC_BOGUS: 6,
  SIGNATURE_EXPIRED: 7,
  SIGNATURE_NOT_YET_VALID: 8,
  DNSKEY_MISSING: 9,
  RRSIGS_MISSING: 10,
  NO_ZONE_KEY_BIT_SET: 11,
  NSEC_MISSING: 12,
  CACHED_ERROR: 13,
  NOT_READY: 14,
  BLOCKED: 15,
  CENSORED: 16,
  FILTERED: 17,
  PROHIBITED: 18,
  STALE_NXDOMAIN_ANSWER: 19,
  NOT_AUTHORITATIVE: 20,
  NOT_SUPPORTED: 21,
  NO_REACHABLE_AUTHORITY: 22,
  NETWORK_ERROR: 23,
  INVALID_DATA: 24,
} as const;
