/**
 * Rdata made of names and integers. The names in NS, CNAME, PTR, MX and SOA
 * rdata are compressed (RFC 1035 §3.3, RFC 3597 §4); the SRV target is not
 * (RFC 2782, "Target").
 */
import type { RDataByType } from '../zone/types.js';
import { checkUint } from './checks.js';
import type { MessageWriter } from './writer.js';

/** CNAME (RFC 1035 §3.3.1), NS (§3.3.11), PTR (§3.3.12): one compressible name. */
export function encodeTarget(w: MessageWriter, data: { target: string }): void {
  w.name(data.target, true);
}

/** MX (RFC 1035 §3.3.9): preference, then a compressible exchange name. */
export function encodeMX(w: MessageWriter, data: RDataByType['MX']): void {
  w.u16(checkUint(data.preference, 16, 'MX preference'));
  w.name(data.exchange, true);
}

/** SOA (RFC 1035 §3.3.13): two compressible names and five 32-bit fields. */
export function encodeSOA(w: MessageWriter, data: RDataByType['SOA']): void {
  w.name(data.mname, true);
  w.name(data.rname, true);
  w.u32(checkUint(data.serial, 32, 'SOA serial'));
  w.u32(checkUint(data.refresh, 32, 'SOA refresh'));
  w.u32(checkUint(data.retry, 32, 'SOA retry'));
  w.u32(checkUint(data.expire, 32, 'SOA expire'));
  w.u32(checkUint(data.minimum, 32, 'SOA minimum'));
}

/** SRV (RFC 2782): priority, weight, port, then the target written whole. */
export function encodeSRV(w: MessageWriter, data: RDataByType['SRV']): void {
  w.u16(checkUint(data.priority, 16, 'SRV priority'));
  w.u16(checkUint(data.weight, 16, 'SRV weight'));
  w.u16(checkUint(data.port, 16, 'SRV port'));
  w.name(data.target, false);
}
