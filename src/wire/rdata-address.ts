/** A (RFC 1035 §3.4.1) and AAAA (RFC 3596 §2.2) rdata, and the address parsers SVCB reuses. */
import { isIPv4, isIPv6 } from 'node:net';
import { Address6 } from 'ip-address';
import type { RDataByType } from '../zone/types.js';
import { WireEncodeError } from './errors.js';
import type { MessageWriter } from './writer.js';

/** The four octets of a dotted-quad IPv4 address. */
export function ipv4Bytes(address: string): Buffer {
  if (!isIPv4(address)) throw new WireEncodeError(`"${address}" is not an IPv4 address`);
  return Buffer.from(address.split('.').map(Number));
}

/** Small cache of parsed A addresses; encoding runs per answer, parsing once. */
const ipv4Cache = new Map<string, Buffer>();
const DEFAULT_ADDRESS_CACHE_ENTRIES = 50_000;

function cachedIpv4(address: string): Buffer {
  let bytes = ipv4Cache.get(address);
  if (bytes === undefined) {
    bytes = ipv4Bytes(address);
    if (ipv4Cache.size >= DEFAULT_ADDRESS_CACHE_ENTRIES) ipv4Cache.clear();
    ipv4Cache.set(address, bytes);
  }
  return bytes;
}

/** The sixteen octets of an IPv6 address in any RFC 4291 §2.2 text form. */
export function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new WireEncodeError(`"${address}" is not an IPv6 address`);
  // canonicalForm() writes all eight groups as four hex digits, any
  // embedded IPv4 tail included.
  const hex = new Address6(address).canonicalForm().replaceAll(':', '');
  return Buffer.from(hex, 'hex');
}

/** A: one IPv4 address. */
export function encodeA(w: MessageWriter, data: RDataByType['A']): void {
  w.bytes(cachedIpv4(data.address));
}

/** AAAA: one IPv6 address. */
export function encodeAAAA(w: MessageWriter, data: RDataByType['AAAA']): void {
  w.bytes(ipv6Bytes(data.address));
}
