/**
 * Turns one query message into one reply message. This is the query hot
 * path: on a cache hit it parses the header and question from the raw
 * bytes, copies the cached answer, patches the ID, the RD and CD bits and
 * the question's case, and appends a precomputed OPT record.
 */
import { AnswerCache } from './answer-cache.js';
import { encodeLookup } from './encode-answer.js';
import type { QueryStats } from './stats.js';
import type { Logger } from '../log/index.js';
import { lookup, type ZoneSet } from '../zone/index.js';
import {
  CLASS,
  DEFAULT_UDP_PAYLOAD_BYTES,
  OPT_WITH_EDE,
  QTYPE,
  RCODE,
  encodeError,
  hashQuestion,
  parseQuery,
  scanQuery,
  scannedDnssecOk,
  scannedHash,
  scannedUdpSize,
  type QueryMessage,
} from '../wire/index.js';

/** Without EDNS a UDP reply stays within 512 octets (RFC 1035 §4.2.1). */
const CLASSIC_UDP_BYTES = 512;
const TCP_MAX_BYTES = 65_535;

/** How a query arrived; TCP replies are never truncated. */
export type Transport = 'udp' | 'tcp';

/** Answers queries from one ZoneSet; replaced whole on reload. */
export class Responder {
  readonly zones: ZoneSet;
  readonly #cache = new AnswerCache();
  readonly #stats: QueryStats;
  readonly #log: Logger;
  readonly #debug: boolean;

  constructor(zones: ZoneSet, stats: QueryStats, log: Logger) {
    this.zones = zones;
    this.#stats = stats;
    this.#log = log;
    this.#debug = log.isLevelEnabled('debug');
  }

  /** The reply to `msg`, or null when the message must be dropped. */
  respond(msg: Buffer, transport: Transport): Buffer | null {
    // The hot path: a plain query whose answer is cached, found by a hash of
    // the raw question without decoding it. Everything else, and debug
    // logging, takes the full path.
    const nameEnd = this.#debug ? -1 : scanQuery(msg);
    // Only class IN and ANY are answered from zones; others take the full path.
    if (
      nameEnd > 0 &&
      msg[nameEnd + 2] === 0 &&
      (msg[nameEnd + 3] === 1 || msg[nameEnd + 3] === 255)
    ) {
      const ref = this.#cache.find(scannedHash, msg, nameEnd);
      if (ref !== 0) {
        this.#stats.count(transport, this.#cache.rcode(ref));
        return fit(msg, nameEnd, scannedUdpSize, scannedDnssecOk, this.#cache, ref, transport);
      }
    }
    return this.#respondFully(msg, transport);
  }

  #respondFully(msg: Buffer, transport: Transport): Buffer | null {
    const query = parseQuery(msg);
    if (query.kind === 'drop') {
      this.#stats.malformed++;
      return null;
    }
    if (query.kind === 'error') {
      if (query.rcode === RCODE.FORMERR) this.#stats.malformed++;
      this.#stats.count(transport, query.rcode);
      return encodeError(query, query.rcode);
    }

    try {
      return this.#answer(msg, query, transport);
    } catch (err) {
      // A bug must cost one SERVFAIL, never the server.
      this.#log.error({ err, qname: query.qname, qtype: query.qtype }, 'query failed');
      this.#stats.count(transport, RCODE.SERVFAIL);
      return encodeError(query, RCODE.SERVFAIL);
    }
  }

  #answer(msg: Buffer, query: QueryMessage, transport: Transport): Buffer {
    // Knot's behaviour: class ANY is answered as IN, CH and HS are refused.
    // Zone transfer is not offered yet.
    const refused =
      (query.qclass !== CLASS.IN && query.qclass !== CLASS.ANY) ||
      query.qtype === QTYPE.AXFR ||
      query.qtype === QTYPE.IXFR;
    if (refused) {
      this.#stats.count(transport, RCODE.REFUSED);
      return encodeError(query, RCODE.REFUSED);
    }

    const cache = this.#cache;
    let ref = cache.find(hashQuestion(msg, 12, query.qnameEnd), msg, query.qnameEnd);
    if (ref === 0) ref = this.#compute(query.qname, query.qtype);

    const rcode = cache.rcode(ref);
    this.#stats.count(transport, rcode);
    if (this.#debug) {
      this.#log.debug({ qname: query.qname, qtype: query.qtype, rcode, transport }, 'query');
    }
    const edns = query.edns;
    return fit(
      msg,
      query.qnameEnd,
      edns?.udpSize ?? 0,
      edns?.dnssecOk ?? false,
      cache,
      ref,
      transport,
    );
  }

  /** Looks the question up, encodes the answer and caches it; returns its reference. */
  #compute(qname: string, qtype: number): number {
    const zone = this.zones.find(qname);
    if (zone === undefined) return this.#cache.add(encodeLookup(qname, qtype, undefined));
    const result = lookup(zone, qname, qtype);
    return this.#cache.add(encodeLookup(qname, qtype, result), result.dependsOn);
  }

  /**
   * Drops the cached answers read from the failover or ALIAS records `ids`,
   * whose answer just changed; returns how many were dropped.
   */
  forget(ids: Iterable<number>): number {
    return this.#cache.drop(ids);
  }
}

/**
 * Copies the largest form of the cached answer that fits the client's limit
 * and makes it this query's reply. `udpSize` is the client's EDNS size, 0
 * without EDNS. RFC 9471 §3: when required glue does not fit, the reply is
 * truncated; optional additional records are dropped first.
 */
function fit(
  msg: Buffer,
  nameEnd: number,
  udpSize: number,
  dnssecOk: boolean,
  cache: AnswerCache,
  ref: number,
  transport: Transport,
): Buffer {
  const opt = udpSize === 0 ? undefined : OPT_WITH_EDE[cache.ede(ref)]![dnssecOk ? 1 : 0];
  const optBytes = opt === undefined ? 0 : opt.length;
  const limit =
    transport === 'tcp'
      ? TCP_MAX_BYTES
      : udpSize === 0
        ? CLASSIC_UDP_BYTES
        : Math.max(CLASSIC_UDP_BYTES, Math.min(udpSize, DEFAULT_UDP_PAYLOAD_BYTES));

  let start = cache.start(ref);
  let bodyBytes = cache.fullBytes(ref);
  let truncated = false;
  if (bodyBytes + optBytes > limit) {
    const reduced = cache.reducedBytes(ref);
    if (reduced > 0 && reduced + optBytes <= limit) {
      start += bodyBytes;
      bodyBytes = reduced;
    } else {
      truncated = true;
      bodyBytes = cache.questionEnd(ref);
    }
  }

  const reply = Buffer.allocUnsafe(bodyBytes + optBytes);
  cache.slab(ref).copy(reply, 0, start, start + bodyBytes);
  reply[0] = msg[0]!;
  reply[1] = msg[1]!;
  reply[2] = reply[2]! | (msg[2]! & 0x01); // RD copied (RFC 1035 §4.1.1)
  reply[3] = reply[3]! | (msg[3]! & 0x10); // CD copied (RFC 4035 §3.1.6)
  // The client's question as sent: its case (RFC 4343 §4.1) and its class.
  msg.copy(reply, 12, 12, nameEnd + 4);

  if (truncated) {
    reply[2] = reply[2]! | 0x02; // TC
    reply.fill(0, 6, 12);
  }
  if (opt !== undefined) {
    opt.copy(reply, bodyBytes);
    reply.writeUInt16BE(reply.readUInt16BE(10) + 1, 10);
  }
  return reply;
}
