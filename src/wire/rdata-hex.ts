/** Rdata that ends in a hexadecimal blob: DS, SSHFP and TLSA. */
import type { RDataByType } from '../zone/types.js';
import { checkUint, hexBytes } from './checks.js';
import type { MessageWriter } from './writer.js';

/** DS (RFC 4034 §5.1): key tag, algorithm, digest type, digest. */
export function encodeDS(w: MessageWriter, data: RDataByType['DS']): void {
  w.u16(checkUint(data.keyTag, 16, 'DS key tag'));
  w.u8(checkUint(data.algorithm, 8, 'DS algorithm'));
  w.u8(checkUint(data.digestType, 8, 'DS digest type'));
  w.bytes(hexBytes(data.digest, 'DS digest'));
}

/** SSHFP (RFC 4255 §3.1): algorithm, fingerprint type, fingerprint. */
export function encodeSSHFP(w: MessageWriter, data: RDataByType['SSHFP']): void {
  w.u8(checkUint(data.algorithm, 8, 'SSHFP algorithm'));
  w.u8(checkUint(data.fingerprintType, 8, 'SSHFP fingerprint type'));
  w.bytes(hexBytes(data.fingerprint, 'SSHFP fingerprint'));
}

/** TLSA (RFC 6698 §2.1): usage, selector, matching type, association data. */
export function encodeTLSA(w: MessageWriter, data: RDataByType['TLSA']): void {
  w.u8(checkUint(data.usage, 8, 'TLSA usage'));
  w.u8(checkUint(data.selector, 8, 'TLSA selector'));
  w.u8(checkUint(data.matchingType, 8, 'TLSA matching type'));
  w.bytes(hexBytes(data.data, 'TLSA data'));
}
