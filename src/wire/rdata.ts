/**
 * The rdata encoder registry: one encoder per record type with a wire form.
 * Adding a type means one encoder (in the rdata-*.ts file of its group) and
 * one line here; the mapped type below makes a missing type a compile error.
 */
import type { RDataByType, RecordType } from '../zone/types.js';
import { encodeA, encodeAAAA } from './rdata-address.js';
import { encodeDS, encodeSSHFP, encodeTLSA } from './rdata-hex.js';
import { encodeMX, encodeSOA, encodeSRV, encodeTarget } from './rdata-names.js';
import { encodeSVCB } from './rdata-svcb.js';
import { encodeCAA, encodeNAPTR, encodeTXT } from './rdata-text.js';
import type { MessageWriter } from './writer.js';

type WireType = Exclude<RecordType, 'ALIAS'>;

/** Writes the rdata of one record of type T at the writer's position. */
export type RDataEncoder<T extends WireType> = (w: MessageWriter, data: RDataByType[T]) => void;

/** Every encoder, by type name. */
export const RDATA_ENCODERS: { readonly [T in WireType]: RDataEncoder<T> } = {
  A: encodeA,
  AAAA: encodeAAAA,
  CNAME: encodeTarget,
  NS: encodeTarget,
  PTR: encodeTarget,
  MX: encodeMX,
  SOA: encodeSOA,
  SRV: encodeSRV,
  TXT: encodeTXT,
  SPF: encodeTXT,
  CAA: encodeCAA,
  NAPTR: encodeNAPTR,
  DS: encodeDS,
  SSHFP: encodeSSHFP,
  TLSA: encodeTLSA,
  SVCB: encodeSVCB,
  HTTPS: encodeSVCB,
};

/** Writes rdata of the given type with its registered encoder. */
export function encodeRData<T extends WireType>(
  w: MessageWriter,
  type: T,
  data: RDataByType[T],
): void {
  (RDATA_ENCODERS[type] as RDataEncoder<T>)(w, data);
}
