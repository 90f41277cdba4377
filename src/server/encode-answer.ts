/**
 * Encodes a lookup result once, in the forms the responder may need: the
 * whole answer, and the answer without optional additional records for
 * clients whose size limit it would pass. Encoding happens on a cache miss
 * only; see responder.ts for what a hit costs.
 */
import type { CachedAnswer } from './answer-cache.js';
import {
  CLASS,
  FLAG,
  MessageWriter,
  RCODE,
  encodeName,
  type WireRecordType,
} from '../wire/index.js';
import type { LookupResult, RDataByType, SectionEntry } from '../zone/index.js';

/**
 * Encodes `result` for the question (`qname` lowercase, `qtype`), with ID 0
 * and RD/CD clear; the responder patches those per query. An undefined
 * result means no zone encloses the name: REFUSED, AA clear.
 */
export function encodeLookup(
  qname: string,
  qtype: number,
  result: LookupResult | undefined,
): CachedAnswer {
  const questionEnd = 12 + encodeName(qname).wire.length + 4;
  if (result === undefined) {
    const refused = new MessageWriter(questionEnd)
      .header(0, FLAG.QR | RCODE.REFUSED)
      .question(qname, qtype, CLASS.IN)
      .finish();
    return { full: refused, reduced: undefined, questionEnd, rcode: RCODE.REFUSED, ede: 0 };
  }
  if (result.rcode === RCODE.SERVFAIL) {
    // A failover or ALIAS record that cannot answer: no records, its EDE.
    const failed = new MessageWriter(questionEnd)
      .header(0, FLAG.QR | RCODE.SERVFAIL)
      .question(qname, qtype, CLASS.IN)
      .finish();
    return {
      full: failed,
      reduced: undefined,
      questionEnd,
      rcode: RCODE.SERVFAIL,
      ede: result.ede,
    };
  }

  const full = encode(qname, qtype, result, true);
  const reduced =
    result.optionalAdditional.length > 0 ? encode(qname, qtype, result, false) : undefined;
  return { full, reduced, questionEnd, rcode: result.rcode, ede: result.ede };
}

function encode(qname: string, qtype: number, result: LookupResult, optional: boolean): Buffer {
  const flags = FLAG.QR | (result.authoritative ? FLAG.AA : 0) | result.rcode;
  const w = new MessageWriter().header(0, flags).question(qname, qtype, CLASS.IN);

  w.section('answer');
  for (const entry of result.answer) writeEntry(w, entry);
  w.section('authority');
  for (const entry of result.authority) writeEntry(w, entry);
  w.section('additional');
  for (const entry of result.requiredAdditional) writeEntry(w, entry);
  if (optional) for (const entry of result.optionalAdditional) writeEntry(w, entry);
  return w.finish();
}

/** Writes an entry's records with its owner, which wildcard synthesis may have changed. */
function writeEntry(w: MessageWriter, entry: SectionEntry): void {
  const type = entry.rrset.type as WireRecordType;
  const ttl = entry.ttlSeconds ?? entry.rrset.ttlSeconds;
  for (const rdata of entry.rrset.records) {
    w.record(entry.owner, type, CLASS.IN, ttl, rdata as RDataByType[typeof type]);
  }
}
