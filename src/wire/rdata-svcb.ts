/**
 * SVCB and HTTPS rdata (RFC 9460 §2.2): priority, the target name written
 * whole (§2.2, no compression), then the SvcParams in strictly ascending key
 * order, each as key, value length, value.
 */
import type { RDataByType, SvcParam } from '../zone/types.js';
import { checkUint } from './checks.js';
import { WireEncodeError } from './errors.js';
import { ipv4Bytes, ipv6Bytes } from './rdata-address.js';
import type { MessageWriter } from './writer.js';

/** SvcParamKey numbers of the named keys (RFC 9460 §14.3.2). */
export const SVC_PARAM_KEY: Readonly<Record<string, number>> = {
  mandatory: 0,
  alpn: 1,
  'no-default-alpn': 2,
  port: 3,
  ipv4hint: 4,
  ech: 5,
  ipv6hint: 6,
};

/** The reserved "invalid key" (RFC 9460 §14.3.2). */
const INVALID_KEY = 65535;

/** Turns `alpn` or `key1` or `key65000` into its number; throws on anything else. */
export function svcParamKeyNumber(key: string): number {
  const n = findSvcParamKey(key);
  if (n === undefined) throw new WireEncodeError(`SvcParamKey "${key}" is unknown`);
  return n;
}

/**
 * The number of a SvcParamKey in presentation form: a named key or
 * `keyNNNNN` below 65535, the reserved invalid key; undefined otherwise.
 */
export function findSvcParamKey(key: string): number | undefined {
  const named = SVC_PARAM_KEY[key];
  if (named !== undefined) return named;
  const m = /^key(\d{1,5})$/.exec(key);
  const n = m ? Number(m[1]) : NaN;
  return n >= 0 && n < INVALID_KEY ? n : undefined;
}

/** SVCB and HTTPS: the same rdata format (RFC 9460 §9). */
export function encodeSVCB(w: MessageWriter, data: RDataByType['SVCB']): void {
  w.u16(checkUint(data.priority, 16, 'SVCB priority'));
  w.name(data.target, false);

  const params = data.params.map((p) => ({ key: svcParamKeyNumber(p.key), value: paramValue(p) }));
  params.sort((a, b) => a.key - b.key);
  for (let i = 1; i < params.length; i++) {
    if (params[i]!.key === params[i - 1]!.key) {
      throw new WireEncodeError(`SvcParamKey ${params[i]!.key} appears twice (RFC 9460 §2.2)`);
    }
  }
  for (const { key, value } of params) {
    if (value.length > 0xffff) throw new WireEncodeError(`SvcParam ${key} value is too long`);
    w.u16(key).u16(value.length).bytes(value);
  }
}

/** The wire value of one SvcParam (RFC 9460 §7 and §8). */
function paramValue(p: SvcParam): Buffer {
  const { key, values } = p;
  switch (key) {
    case 'mandatory': {
      // §8: a list of keys in strictly increasing order, not including itself.
      const keys = values.map(svcParamKeyNumber).sort((a, b) => a - b);
      if (keys.length === 0 || keys.some((k, i) => k === 0 || (i > 0 && k === keys[i - 1]))) {
        throw new WireEncodeError(`mandatory="${values.join(',')}" is empty or repeats a key`);
      }
      return u16List(keys);
    }
    case 'alpn': {
      // §7.1.1: each alpn-id as a length-prefixed string of 1 to 255 octets.
      const ids = values.map((v) => Buffer.from(v, 'utf8'));
      if (ids.length === 0 || ids.some((id) => id.length === 0 || id.length > 255)) {
        throw new WireEncodeError(`alpn="${values.join(',')}" has an empty or long id`);
      }
      return Buffer.concat(ids.flatMap((id) => [Buffer.from([id.length]), id]));
    }
    case 'no-default-alpn':
      if (values.length !== 0) throw new WireEncodeError(`no-default-alpn takes no value`);
      return Buffer.alloc(0);
    case 'port': {
      const port = single(p);
      if (!/^\d{1,5}$/.test(port)) throw new WireEncodeError(`port="${port}" is not a number`);
      return u16List([checkUint(Number(port), 16, 'SvcParam port')]);
    }
    case 'ipv4hint':
      return Buffer.concat(nonEmpty(p).map(ipv4Bytes));
    case 'ipv6hint':
      return Buffer.concat(nonEmpty(p).map(ipv6Bytes));
    case 'ech': {
      // §7.3: the presentation value is base64 of the ECHConfigList.
      const text = single(p);
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
        throw new WireEncodeError(`ech="${text}" is not base64`);
      }
      return Buffer.from(text, 'base64');
    }
    default:
      // keyNNNNN: the value's UTF-8 octets as they are (§2.1 generic form).
      svcParamKeyNumber(key);
      return Buffer.from(values.join(','), 'utf8');
  }
}

function single(p: SvcParam): string {
  if (p.values.length !== 1) throw new WireEncodeError(`SvcParam ${p.key} takes one value`);
  return p.values[0]!;
}

function nonEmpty(p: SvcParam): string[] {
  if (p.values.length === 0) throw new WireEncodeError(`SvcParam ${p.key} needs a value`);
  return p.values;
}

function u16List(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
}
