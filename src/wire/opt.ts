/**
 * The OPT pseudo-record (RFC 6891 §6.1.2): owner root, type 41, the CLASS
 * field holds the UDP payload size, the TTL field holds the extended rcode,
 * the version and the DO bit (§6.1.3), the rdata holds options.
 */
import { EDNS_OPTION, QTYPE } from './constants.js';
import { WireEncodeError } from './errors.js';
import { checkUint } from './checks.js';
import type { MessageWriter } from './writer.js';

/** The UDP payload size vigil advertises (DNS Flag Day 2020; RFC 6891 §6.2.5). */
export const DEFAULT_UDP_PAYLOAD_BYTES = 1232;

/** One EDNS option (RFC 6891 §6.1.2): its code and its data. */
export interface EdnsOption {
  readonly code: number;
  readonly data: Buffer;
}

/** What goes into an OPT record. */
export interface OptFields {
  /** Defaults to DEFAULT_UDP_PAYLOAD_BYTES. */
  readonly udpSize?: number;
  /** The upper 8 bits of a 12-bit rcode (RFC 6891 §6.1.3); defaults to 0. */
  readonly extendedRcode?: number;
  /** Defaults to 0, the only version vigil speaks. */
  readonly version?: number;
  /** Echo of the request's DO bit (RFC 3225 §3). */
  readonly dnssecOk?: boolean;
  readonly options?: readonly EdnsOption[];
}

/** Octets of an OPT record without options. */
export const OPT_RECORD_BYTES = 11;

const NO_OPTIONS = Buffer.alloc(0);

/** Encodes a whole OPT record, owner to rdata. */
export function encodeOpt(fields: OptFields): Buffer {
  const rdata = encodeOptions(fields.options);
  const b = Buffer.alloc(OPT_RECORD_BYTES + rdata.length);
  b.writeUInt16BE(QTYPE.OPT, 1);
  b.writeUInt16BE(optUdpSize(fields), 3);
  b.writeUInt32BE(optTtl(fields), 5);
  b.writeUInt16BE(rdata.length, 9);
  rdata.copy(b, OPT_RECORD_BYTES);
  return b;
}

/** OPT, UDP size 1232, version 0, no options, DO clear: append to any reply. */
export const OPT_DEFAULT: Buffer = encodeOpt({});

/** As OPT_DEFAULT with the DO bit set, for requests that set it. */
export const OPT_DEFAULT_DO: Buffer = encodeOpt({ dnssecOk: true });

/**
 * Adds an OPT record. On a MessageWriter it moves to the additional section
 * and writes it there (returns undefined); on a finished message it returns
 * a new Buffer with the record appended and ARCOUNT raised by one. Neither
 * touches the header's low rcode bits.
 */
export function writeOpt(target: MessageWriter, fields: OptFields): undefined;
export function writeOpt(target: Buffer, fields: OptFields): Buffer;
export function writeOpt(target: MessageWriter | Buffer, fields: OptFields): Buffer | undefined {
  if (Buffer.isBuffer(target)) {
    if (target.length < 12) throw new WireEncodeError(`message of ${target.length} octets`);
    const out = Buffer.concat([target, encodeOpt(fields)]);
    out.writeUInt16BE(checkUint(out.readUInt16BE(10) + 1, 16, 'ARCOUNT'), 10);
    return out;
  }
  target.section('additional');
  const rdata = encodeOptions(fields.options);
  target.rawRecord('.', QTYPE.OPT, optUdpSize(fields), optTtl(fields), rdata);
  return undefined;
}

/** The CLASS field of OPT: the UDP payload size. */
function optUdpSize(fields: OptFields): number {
  return checkUint(fields.udpSize ?? DEFAULT_UDP_PAYLOAD_BYTES, 16, 'OPT udpSize');
}

/** The TTL field of OPT: extended rcode, version, DO, zero Z bits (RFC 6891 §6.1.3). */
function optTtl(fields: OptFields): number {
  const extendedRcode = checkUint(fields.extendedRcode ?? 0, 8, 'OPT extended rcode');
  const version = checkUint(fields.version ?? 0, 8, 'OPT version');
  return ((extendedRcode << 24) | (version << 16) | (fields.dnssecOk === true ? 0x8000 : 0)) >>> 0;
}

/** The OPT rdata: each option as code, length, data. */
function encodeOptions(options: readonly EdnsOption[] | undefined): Buffer {
  if (options === undefined || options.length === 0) return NO_OPTIONS;
  const parts = options.map((o) => {
    const b = Buffer.alloc(4 + o.data.length);
    b.writeUInt16BE(checkUint(o.code, 16, 'EDNS option code'), 0);
    b.writeUInt16BE(checkUint(o.data.length, 16, 'EDNS option length'), 2);
    o.data.copy(b, 4);
    return b;
  });
  const rdata = Buffer.concat(parts);
  checkUint(rdata.length, 16, 'OPT rdata length');
  return rdata;
}

/**
 * An Extended DNS Error option (RFC 8914 §2): info code, then optional
 * UTF-8 text for humans.
 */
export function edeOption(infoCode: number, extraText = ''): EdnsOption {
  const text = Buffer.from(extraText, 'utf8');
  const data = Buffer.alloc(2 + text.length);
  data.writeUInt16BE(checkUint(infoCode, 16, 'EDE info code'), 0);
  text.copy(data, 2);
  return { code: EDNS_OPTION.EDE, data };
}

/**
 * The Extended DNS Errors vigil attaches to answers, by index. A cached
 * answer stores the index in one octet and the responder appends the
 * matching precomputed OPT record, so an EDE costs nothing per query.
 */
export const EDE = {
  NONE: 0,
  /** RFC 8914 §4.4 Stale Answer: the ALIAS target's upstream fails; last good addresses. */
  STALE: 1,
  /** §4.23 No Reachable Authority: the ALIAS target has never resolved. */
  NOT_RESOLVED: 2,
  /** §4.23 again: the upstream fails and no answer younger than alias_max_stale is left. */
  UNREACHABLE: 3,
  /** §4.1 Other: every target of a failover record is down (when_all_down: servfail). */
  ALL_DOWN: 4,
  /** §4.1 Other: an ALIAS leads back to itself. */
  LOOP: 5,
} as const;

/** One of the EDE indexes above. */
export type EdeIndex = (typeof EDE)[keyof typeof EDE];

const EDE_TEXT: readonly (readonly [number, string])[] = [
  [0, ''],
  [3, 'ALIAS target unreachable; answering the last good addresses'],
  [22, 'ALIAS target not resolved yet'],
  [22, 'ALIAS target unreachable'],
  [0, 'every failover target is down'],
  [0, 'ALIAS loop'],
];

/** OPT records by EDE index: [without DO, with DO]. Index 0 holds the plain ones. */
export const OPT_WITH_EDE: readonly (readonly [Buffer, Buffer])[] = EDE_TEXT.map(
  ([code, text], index) =>
    index === 0
      ? [OPT_DEFAULT, OPT_DEFAULT_DO]
      : [
          encodeOpt({ options: [edeOption(code, text)] }),
          encodeOpt({ dnssecOk: true, options: [edeOption(code, text)] }),
        ],
);
