/**
 * parseQuery: from the raw bytes of a request to a verdict, without throwing
 * and without reading past the end of the message. This runs for every
 * query, so it allocates only the result, the QNAME string and the EDNS
 * object, and renders the QNAME through one scratch buffer.
 */
import {
  FLAG,
  HEADER_SIZE,
  MAX_NAME_OCTETS,
  OPCODE,
  OPCODE_MASK,
  OPCODE_SHIFT,
  QTYPE,
  RCODE,
} from './constants.js';

/** The EDNS parameters of a request (RFC 6891 §6.1.2, §6.1.3). */
export interface EdnsInfo {
  /** Requestor's UDP payload size; values below 512 read as 512 (RFC 6891 §6.2.5). */
  readonly udpSize: number;
  readonly version: number;
  /** The DO bit (RFC 3225 §3). */
  readonly dnssecOk: boolean;
  /** The OPT rdata (options) as received, a view into the message; vigil reads none yet. */
  readonly options: Buffer;
}

/** The question of a request (RFC 1035 §4.1.2). */
export interface QuestionInfo {
  /** Canonical QNAME: lowercase, absolute, escaped as `\DDD` (see names.ts). */
  readonly qname: string;
  /** Offset just past the QNAME; the question is msg[12 .. qnameEnd + 4). */
  readonly qnameEnd: number;
  readonly qtype: number;
  readonly qclass: number;
}

/** A message to ignore: no header, or a response (RFC 1035 §4.1.1 QR). */
export interface QueryDrop {
  readonly kind: 'drop';
  readonly reason: 'short' | 'response';
}

/** A well-formed standard query with one question. */
export interface QueryMessage extends QuestionInfo {
  readonly kind: 'query';
  readonly id: number;
  /** The raw 16-bit flags word. */
  readonly flags: number;
  readonly edns: EdnsInfo | null;
  /** The message parsed; error replies copy the question from it, keeping its case. */
  readonly msg: Buffer;
}

/** A request that gets an error reply (see encodeError). */
export interface QueryError {
  readonly kind: 'error';
  readonly id: number;
  readonly flags: number;
  readonly opcode: number;
  /** Full 12-bit rcode: FORMERR, NOTIMP or BADVERS. */
  readonly rcode: number;
  /** Short fixed text for debug logs, e.g. 'qdcount', 'label-type', 'two-opt'. */
  readonly reason: string;
  /** The question, when it could be parsed, so that the reply echoes it. */
  readonly question?: QuestionInfo;
  /** The request's EDNS, when its OPT record was well formed. */
  readonly edns?: EdnsInfo;
  readonly msg: Buffer;
}

/** What parseQuery makes of a message. */
export type ParsedQuery = QueryDrop | QueryMessage | QueryError;

const DROP_SHORT: QueryDrop = Object.freeze({ kind: 'drop', reason: 'short' });
const DROP_RESPONSE: QueryDrop = Object.freeze({ kind: 'drop', reason: 'response' });

/** Minimum OPT payload size (RFC 6891 §6.2.5). */
const MIN_UDP_PAYLOAD = 512;

/** Shared by every request whose OPT carries no options. */
const NO_OPTIONS = Buffer.alloc(0);

/** Room for the longest QNAME when every octet is escaped as `\DDD`. */
const scratch = Buffer.allocUnsafe(MAX_NAME_OCTETS * 4);

// Results of readQname and walkRecords, kept in module state so the hot path
// allocates no intermediate objects. Node runs this single-threaded.
let lastName = '';
let lastEdns: EdnsInfo | undefined;

/**
 * Parses a request. Never throws. Checks, in order: header length and QR
 * (drop); opcode (NOTIMP, RFC 1035 §4.1.1); QDCOUNT = 1 and a well-formed
 * QNAME (FORMERR); ANCOUNT = NSCOUNT = 0 (FORMERR; IXFR may carry one
 * authority record, RFC 1995 §3); the additional section: well-formed
 * records, at most one OPT, owned by the root (FORMERR, RFC 6891 §6.1.1);
 * EDNS version 0 (BADVERS, RFC 6891 §6.1.3). Other additional records, TSIG
 * included, are skipped.
 */
export function parseQuery(msg: Buffer): ParsedQuery {
  const length = msg.length;
  if (length < HEADER_SIZE) return DROP_SHORT;
  const flags = (msg[2]! << 8) | msg[3]!;
  if ((flags & FLAG.QR) !== 0) return DROP_RESPONSE;

  const id = (msg[0]! << 8) | msg[1]!;
  const opcode = (flags & OPCODE_MASK) >>> OPCODE_SHIFT;
  const qdcount = (msg[4]! << 8) | msg[5]!;
  const ancount = (msg[6]! << 8) | msg[7]!;
  const nscount = (msg[8]! << 8) | msg[9]!;
  const arcount = (msg[10]! << 8) | msg[11]!;

  let question: QuestionInfo | undefined;
  let questionError = '';
  let pos = HEADER_SIZE;
  if (qdcount === 1) {
    const end = readQname(msg, HEADER_SIZE);
    if (end < 0) questionError = NAME_ERRORS[-end - 1]!;
    else if (end + 4 > length) questionError = 'truncated';
    else {
      const qtype = (msg[end]! << 8) | msg[end + 1]!;
      const qclass = (msg[end + 2]! << 8) | msg[end + 3]!;
      question = { qname: lastName, qnameEnd: end, qtype, qclass };
      pos = end + 4;
    }
  }

  // The record sections are walked only after a good question (or none),
  // since their start is unknown otherwise.
  let recordError = '';
  lastEdns = undefined;
  if (qdcount <= 1 && questionError === '') {
    recordError = walkRecords(msg, pos, ancount + nscount + arcount, ancount + nscount);
  }
  // TypeScript cannot see walkRecords assign lastEdns.
  const edns = recordError === '' ? (lastEdns as EdnsInfo | undefined) : undefined;

  const reason =
    opcode !== OPCODE.QUERY
      ? 'opcode'
      : qdcount !== 1
        ? 'qdcount'
        : question === undefined
          ? questionError
          : ancount !== 0 || (nscount !== 0 && !isIxfr(question, nscount))
            ? 'counts'
            : recordError !== ''
              ? recordError
              : edns !== undefined && edns.version !== 0
                ? 'edns-version'
                : '';
  if (reason !== '' || question === undefined) {
    const rcode =
      reason === 'opcode'
        ? RCODE.NOTIMP
        : reason === 'edns-version'
          ? RCODE.BADVERS
          : RCODE.FORMERR;
    const error: QueryError = { kind: 'error', id, flags, opcode, rcode, reason, msg };
    return Object.assign(error, question && { question }, edns && { edns });
  }

  return {
    kind: 'query',
    id,
    flags,
    qname: question.qname,
    qnameEnd: question.qnameEnd,
    qtype: question.qtype,
    qclass: question.qclass,
    edns: edns ?? null,
    msg,
  };
}

/** An IXFR request carries the client's SOA in the authority section (RFC 1995 §3). */
function isIxfr(question: QuestionInfo, nscount: number): boolean {
  return question.qtype === QTYPE.IXFR && nscount === 1;
}

/** Reasons for readQname's negative results, at index -result - 1. */
const NAME_ERRORS = ['truncated', 'pointer', 'label-type', 'name-length'] as const;

/**
 * Reads an uncompressed QNAME at msg[start]: returns the offset past it and
 * leaves its canonical text in lastName, or returns -1 (truncated), -2 (a
 * compression pointer), -3 (label type 01 or 10, RFC 6891 §5 / RFC 2673) or
 * -4 (over 255 octets, RFC 1035 §2.3.4). Letters are lowercased; octets
 * outside 0x21..0x7e, '.' and '\' are written `\DDD` (RFC 1035 §5.1).
 */
function readQname(msg: Buffer, start: number): number {
  const length = msg.length;
  let pos = start;
  let out = 0;
  for (;;) {
    if (pos >= length) return -1;
    const labelLength = msg[pos]!;
    if (labelLength === 0) break;
    if (labelLength >= 0xc0) return -2;
    if (labelLength > 0x3f) return -3;
    const end = pos + 1 + labelLength;
    // end - start + 1 counts every octet so far plus the root label.
    if (end - start + 1 > MAX_NAME_OCTETS) return -4;
    if (end > length) return -1;
    for (let i = pos + 1; i < end; i++) {
      const c = msg[i]!;
      if (c >= 0x61 && c <= 0x7a) scratch[out++] = c;
      else if (c >= 0x41 && c <= 0x5a) scratch[out++] = c | 0x20;
      else if (c < 0x21 || c > 0x7e || c === 0x2e || c === 0x5c) {
        scratch[out++] = 0x5c;
        scratch[out++] = 0x30 + ((c / 100) | 0);
        scratch[out++] = 0x30 + (((c / 10) | 0) % 10);
        scratch[out++] = 0x30 + (c % 10);
      } else scratch[out++] = c;
    }
    scratch[out++] = 0x2e;
    pos = end;
  }
  lastName = out === 0 ? '.' : scratch.toString('latin1', 0, out);
  return pos + 1;
}

/**
 * Walks `count` records from msg[pos], checking each is complete; records
 * after the first `skipFirst` are the additional section, where an OPT is
 * read into lastEdns. Returns '' or the reason the section is malformed.
 */
function walkRecords(msg: Buffer, pos: number, count: number, skipFirst: number): string {
  const length = msg.length;
  for (let n = 0; n < count; n++) {
    const nameStart = pos;
    pos = skipName(msg, pos);
    if (pos < 0 || pos + 10 > length) return 'record-truncated';
    const type = (msg[pos]! << 8) | msg[pos + 1]!;
    const rdlength = (msg[pos + 8]! << 8) | msg[pos + 9]!;
    const rdata = pos + 10;
    pos = rdata + rdlength;
    if (pos > length) return 'record-truncated';
    if (type !== QTYPE.OPT) continue;

    // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
    if (n < skipFirst) return 'opt-section';
    if (lastEdns !== undefined) return 'two-opt';
    if (msg[nameStart] !== 0) return 'opt-owner';
    if (!optionsWellFormed(msg, rdata, pos)) return 'opt-options';
    const udpSize = (msg[nameStart + 3]! << 8) | msg[nameStart + 4]!;
    lastEdns = {
      udpSize: udpSize < MIN_UDP_PAYLOAD ? MIN_UDP_PAYLOAD : udpSize,
      version: msg[nameStart + 6]!,
      dnssecOk: (msg[nameStart + 7]! & 0x80) !== 0,
      options: rdlength === 0 ? NO_OPTIONS : msg.subarray(rdata, pos),
    };
  }
  return '';
}

/** Skips a possibly compressed name; returns the offset past it or -1. */
function skipName(msg: Buffer, pos: number): number {
  const length = msg.length;
  while (pos < length) {
    const labelLength = msg[pos]!;
    if (labelLength === 0) return pos + 1;
    if (labelLength >= 0xc0) return pos + 2 <= length ? pos + 2 : -1;
    if (labelLength > 0x3f) return -1;
    pos += labelLength + 1;
  }
  return -1;
}

/** True when msg[start..end) is a sequence of complete EDNS options (RFC 6891 §6.1.2). */
function optionsWellFormed(msg: Buffer, start: number, end: number): boolean {
  let pos = start;
  while (pos < end) {
    if (pos + 4 > end) return false;
    pos += 4 + ((msg[pos + 2]! << 8) | msg[pos + 3]!);
  }
  return pos === end;
}
