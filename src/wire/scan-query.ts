/**
 * A quick read of the commonest request: a standard query with one
 * question, no answer or authority records, and at most an OPT record. It
 * hashes the question as it reads, builds no string and no object, and
 * leaves its findings in module fields; anything it does not recognise it
 * leaves to parseQuery, which gives the exact verdict. The answer cache keys
 * on this hash (see src/server/answer-cache.ts).
 */
import { MAX_LABEL_OCTETS, MAX_NAME_OCTETS, QTYPE } from './constants.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Hash of the last scanned question: its name, lowercased, then its qtype. */
export let scannedHash = 0;
/** The requestor's UDP payload size from OPT (at least 512), or 0 without OPT. */
export let scannedUdpSize = 0;
/** The DO bit of the last scanned OPT record (RFC 3225 §3). */
export let scannedDnssecOk = false;

/**
 * Scans `msg` and returns the offset just past its QNAME, or -1 when the
 * message is not a plain query that this reader vouches for.
 */
export function scanQuery(msg: Buffer): number {
  const length = msg.length;
  // QR clear, opcode QUERY (RFC 1035 §4.1.1); QDCOUNT 1, ANCOUNT and NSCOUNT 0.
  if (length < 17 || (msg[2]! & 0xf8) !== 0 || msg[4] !== 0 || msg[5] !== 1) return -1;
  if ((msg[6]! | msg[7]! | msg[8]! | msg[9]! | msg[10]!) !== 0 || msg[11]! > 1) return -1;

  let hash = FNV_OFFSET;
  let pos = 12;
  for (;;) {
    const labelLength = msg[pos]!;
    hash = Math.imul(hash ^ labelLength, FNV_PRIME);
    if (labelLength === 0) break;
    // Pointers and extended label types in a question go to the full parse.
    if (labelLength > MAX_LABEL_OCTETS) return -1;
    const end = pos + 1 + labelLength;
    if (end >= length || end - 12 + 1 > MAX_NAME_OCTETS) return -1;
    for (let i = pos + 1; i < end; i++) {
      const c = msg[i]!;
      hash = Math.imul(hash ^ (c >= 0x41 && c <= 0x5a ? c | 0x20 : c), FNV_PRIME);
    }
    pos = end;
  }
  const nameEnd = pos + 1;
  if (nameEnd + 4 > length) return -1;
  hash = Math.imul(hash ^ msg[nameEnd]!, FNV_PRIME);
  scannedHash = Math.imul(hash ^ msg[nameEnd + 1]!, FNV_PRIME) | 0;

  scannedUdpSize = 0;
  scannedDnssecOk = false;
  return msg[11] === 0 || readOpt(msg, nameEnd + 4) ? nameEnd : -1;
}

/**
 * The hash scanQuery computes, over the question in buf[start ..] whose
 * name ends at `nameEnd`: name octets with letters lowercased (length
 * octets never fall in A-Z), then the two qtype octets as they are.
 */
export function hashQuestion(buf: Buffer, start: number, nameEnd: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < nameEnd; i++) {
    const c = buf[i]!;
    hash = Math.imul(hash ^ (c >= 0x41 && c <= 0x5a ? c | 0x20 : c), FNV_PRIME);
  }
  hash = Math.imul(hash ^ buf[nameEnd]!, FNV_PRIME);
  return Math.imul(hash ^ buf[nameEnd + 1]!, FNV_PRIME) | 0;
}

/**
 * Reads the one additional record at `pos` when it is a version 0 OPT owned
 * by the root with well-formed options (RFC 6891 §6.1.2); false otherwise.
 */
function readOpt(msg: Buffer, pos: number): boolean {
  const length = msg.length;
  if (pos + 11 > length || msg[pos] !== 0) return false;
  if (((msg[pos + 1]! << 8) | msg[pos + 2]!) !== QTYPE.OPT || msg[pos + 6] !== 0) return false;
  const rdataEnd = pos + 11 + ((msg[pos + 9]! << 8) | msg[pos + 10]!);
  if (rdataEnd > length) return false;
  for (let option = pos + 11; option < rdataEnd;) {
    if (option + 4 > rdataEnd) return false;
    option += 4 + ((msg[option + 2]! << 8) | msg[option + 3]!);
    if (option > rdataEnd) return false;
  }
  scannedUdpSize = Math.max(512, (msg[pos + 3]! << 8) | msg[pos + 4]!);
  scannedDnssecOk = (msg[pos + 7]! & 0x80) !== 0;
  return true;
}
