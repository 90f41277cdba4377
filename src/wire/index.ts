/**
 * The wire layer: parse requests from raw bytes, encode replies with name
 * compression. See README.md for what is encoded how and why vigil does not
 * use dns2's encoder.
 */
export {
  CLASS,
  EDE_CODE,
  EDNS_OPTION,
  FLAG,
  HEADER_SIZE,
  MAX_LABEL_OCTETS,
  MAX_NAME_OCTETS,
  MAX_POINTER_OFFSET,
  OPCODE,
  OPCODE_MASK,
  OPCODE_SHIFT,
  QTYPE,
  RCODE,
  RCODE_MASK,
} from './constants.js';
export { WireEncodeError } from './errors.js';
export { canonicalName, encodeName, nameFromWire, type EncodedName } from './names.js';
export {
  parseQuery,
  type EdnsInfo,
  type ParsedQuery,
  type QueryDrop,
  type QueryError,
  type QueryMessage,
  type QuestionInfo,
} from './parse-query.js';
export { MessageWriter, type Section, type WireRecordType } from './writer.js';
export { RDATA_ENCODERS, encodeRData, type RDataEncoder } from './rdata.js';
export { SVC_PARAM_KEY, findSvcParamKey, svcParamKeyNumber } from './rdata-svcb.js';
export {
  DEFAULT_UDP_PAYLOAD_BYTES,
  EDE,
  OPT_WITH_EDE,
  OPT_DEFAULT,
  OPT_DEFAULT_DO,
  OPT_RECORD_BYTES,
  edeOption,
  encodeOpt,
  writeOpt,
  type EdeIndex,
  type EdnsOption,
  type OptFields,
} from './opt.js';
export { encodeError, type ErrorReplySource } from './error-reply.js';
export {
  hashQuestion,
  scanQuery,
  scannedDnssecOk,
  scannedHash,
  scannedUdpSize,
} from './scan-query.js';
