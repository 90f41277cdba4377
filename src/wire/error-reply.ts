/**
 * Minimal error replies (RFC 1035 §4.1.1): the header, the question when
 * there was one, and an OPT record when the request had EDNS.
 */
import { CLASS, FLAG, OPCODE_MASK, RCODE, RCODE_MASK } from './constants.js';
import { writeOpt } from './opt.js';
import type { EdnsInfo, QuestionInfo } from './parse-query.js';
import { MessageWriter } from './writer.js';

/** What an error reply needs from the request; QueryMessage and QueryError both fit. */
export interface ErrorReplySource {
  readonly id: number;
  /** The request's raw flags word. */
  readonly flags: number;
  /** The question, either flat (QueryMessage) or nested (QueryError). */
  readonly qname?: string;
  readonly qnameEnd?: number;
  readonly qtype?: number;
  readonly qclass?: number;
  readonly question?: QuestionInfo | undefined;
  readonly edns?: EdnsInfo | null | undefined;
  /** The request's bytes; when given, the question is copied with its case. */
  readonly msg?: Buffer;
}

/**
 * Encodes an error reply with `rcode` to `query`. Flags: QR, the request's
 * opcode, RD and CD copied (RFC 1035 §4.1.1, RFC 4035 §3.1.6), AA clear.
 * `edns` defaults to the request's: when present the reply carries OPT
 * with the DO bit echoed and the rcode's upper bits (RFC 6891 §6.1.3, so
 * BADVERS is header 0 plus extended rcode 1). Without EDNS an rcode above
 * 15 cannot be expressed and is sent as SERVFAIL.
 */
export function encodeError(
  query: ErrorReplySource,
  rcode: number,
  edns: EdnsInfo | null | undefined = query.edns,
): Buffer {
  const wireRcode = rcode > RCODE_MASK && edns == null ? RCODE.SERVFAIL : rcode;
  const flags =
    FLAG.QR | (query.flags & (OPCODE_MASK | FLAG.RD | FLAG.CD)) | (wireRcode & RCODE_MASK);
  const w = new MessageWriter(128).header(query.id, flags);

  const q = flatQuestion(query) ?? query.question;
  if (q !== undefined) {
    if (query.msg !== undefined && query.msg.length >= q.qnameEnd + 4) {
      w.questionBytes(query.msg, 12, q.qnameEnd + 4);
    } else {
      w.question(q.qname, q.qtype, q.qclass);
    }
  }

  if (edns != null) writeOpt(w, { extendedRcode: wireRcode >>> 4, dnssecOk: edns.dnssecOk });
  return w.finish();
}

function flatQuestion(query: ErrorReplySource): QuestionInfo | undefined {
  const { qname, qnameEnd, qtype, qclass } = query;
  if (qname === undefined || qnameEnd === undefined || qtype === undefined) return undefined;
  return { qname, qnameEnd, qtype, qclass: qclass ?? CLASS.IN };
}
