/**
 * Readers for addresses, single-name types, and the small structured types
 * (MX, SRV, CAA, NAPTR, SOA), with octoDNS field names.
 */
import { Address4, Address6 } from 'ip-address';
import type { RDataByType } from '../zone/types.js';
import { readHostname } from './names.js';
import type { RDataReader } from './rdata.js';
import {
  fieldContext,
  missing,
  readInt,
  readMap,
  readString,
  within,
  type ReadContext,
} from './value-read.js';
import type { YNode, YPair } from './yaml-tree.js';

const U16 = 65_535;
const U8 = 255;
/** Largest SOA timer: 2^31 - 1 seconds (RFC 2181 §8). */
const MAX_TIMER_SECONDS = 2_147_483_647;
/** Largest serial (RFC 1982 32-bit serial arithmetic). */
export const MAX_SERIAL = 4_294_967_295;

// Zones repeat addresses a lot; ip-address parsing is the slowest per-record step.
const addressCache = new Map<string, string | null>();
const MAX_CACHED_ADDRESSES = 50_000;

function normalizeAddress(text: string, family: 4 | 6): string | null {
  const key = `${family}${text}`;
  let cached = addressCache.get(key);
  if (cached !== undefined) return cached;
  cached = null;
  // ip-address accepts "/prefix" and "%zone"; a record address has neither.
  if (!text.includes('/') && !text.includes('%')) {
    if (family === 4 && Address4.isValid(text)) cached = new Address4(text).correctForm();
    if (family === 6 && Address6.isValid(text)) cached = text.toLowerCase();
  }
  if (addressCache.size >= MAX_CACHED_ADDRESSES) addressCache.clear();
  addressCache.set(key, cached);
  return cached;
}

function addressReader(family: 4 | 6): RDataReader<'A'> {
  const what = family === 4 ? 'an IPv4 address' : 'an IPv6 address';
  return {
    many: true,
    read(node, ctx) {
      const text = readString(node, ctx, what);
      if (text === undefined) return undefined;
      const address = normalizeAddress(text, family);
      if (address !== null) return { address };
      ctx.sink.expected(node, ctx.at, ctx.path, what);
      return undefined;
    },
  };
}

function nameReader(many: boolean): RDataReader<'CNAME'> {
  return {
    many,
    read(node, ctx) {
      const target = readHostname(node, ctx);
      return target === undefined ? undefined : { target };
    },
  };
}

/** A and AAAA. */
export const ADDRESS_READERS = { A: addressReader(4), AAAA: addressReader(6) };

/** Types whose value is one hostname. */
export const NAME_READERS = {
  CNAME: nameReader(false),
  ALIAS: nameReader(false),
  NS: nameReader(true),
  PTR: nameReader(true),
};

type Fields = Map<string, YPair>;

/** Reads `key` from a mapping with `read`, reporting it when absent. */
function field<V>(
  fields: Fields,
  ctx: ReadContext,
  key: string,
  read: (node: YNode | null, fieldCtx: ReadContext) => V | undefined,
): V | undefined {
  const pair = fields.get(key);
  if (!pair) return missing(ctx, key);
  return read(pair.value, fieldCtx(ctx, fields, key));
}

const fieldCtx = fieldContext;
const int = (max: number) => (n: YNode | null, c: ReadContext) => readInt(n, c, 0, max);
const str = (n: YNode | null, c: ReadContext) => readString(n, c);
const host = (n: YNode | null, c: ReadContext) => readHostname(n, c, true);

/** Returns the result only when every field was read. */
function all<T extends object>(value: T): T | undefined {
  return Object.values(value).includes(undefined) ? undefined : value;
}

/** MX `{exchange, preference}`, or the legacy `{priority, value}`; `.` is a null MX (RFC 7505). */
export const MX: RDataReader<'MX'> = {
  many: true,
  read(node, ctx) {
    const shape = 'a mapping with exchange and preference';
    const legacy = node?.kind === 'map' && node.pairs.some((p) => p.key.value === 'priority');
    const keys = legacy ? ['priority', 'value'] : ['exchange', 'preference'];
    const f = readMap(node, ctx, shape, keys);
    if (!f) return undefined;
    ctx = within(ctx, node);
    return all({
      preference: field(f, ctx, legacy ? 'priority' : 'preference', int(U16)),
      exchange: field(f, ctx, legacy ? 'value' : 'exchange', host),
    }) as RDataByType['MX'] | undefined;
  },
};

/** SRV `{priority, weight, port, target}` (RFC 2782); target `.` means "no service". */
export const SRV: RDataReader<'SRV'> = {
  many: true,
  read(node, ctx) {
    const f = readMap(node, ctx, 'a mapping with priority, weight, port and target', [
      'priority',
      'weight',
      'port',
      'target',
    ]);
    if (!f) return undefined;
    ctx = within(ctx, node);
    return all({
      priority: field(f, ctx, 'priority', int(U16)),
      weight: field(f, ctx, 'weight', int(U16)),
      port: field(f, ctx, 'port', int(U16)),
      target: field(f, ctx, 'target', host),
    }) as RDataByType['SRV'] | undefined;
  },
};

/** CAA `{flags (default 0), tag, value}`; tags are 1-15 letters and digits (RFC 8659 §4.1). */
export const CAA: RDataReader<'CAA'> = {
  many: true,
  read(node, ctx) {
    const f = readMap(node, ctx, 'a mapping with tag and value', ['flags', 'tag', 'value']);
    if (!f) return undefined;
    ctx = within(ctx, node);
    const flags = f.has('flags') ? field(f, ctx, 'flags', int(U8)) : 0;
    const tag = field(f, ctx, 'tag', (n, c) => {
      const text = readString(n, c);
      if (text === undefined || /^[A-Za-z0-9]{1,15}$/.test(text)) return text;
      c.sink.expected(n, c.at, c.path, '1 to 15 letters or digits (RFC 8659 §4.1)');
      return undefined;
    });
    return all({ flags, tag, value: field(f, ctx, 'value', str) }) as
      RDataByType['CAA'] | undefined;
  },
};

/** NAPTR `{order, preference, flags, service, regexp, replacement}` (RFC 3403 §4.1). */
export const NAPTR: RDataReader<'NAPTR'> = {
  many: true,
  read(node, ctx) {
    const keys = ['order', 'preference', 'flags', 'service', 'regexp', 'replacement'];
    const f = readMap(node, ctx, `a mapping with ${keys.join(', ')}`, keys);
    if (!f) return undefined;
    ctx = within(ctx, node);
    return all({
      order: field(f, ctx, 'order', int(U16)),
      preference: field(f, ctx, 'preference', int(U16)),
      flags: field(f, ctx, 'flags', str),
      service: field(f, ctx, 'service', str),
      regexp: field(f, ctx, 'regexp', str),
      replacement: field(f, ctx, 'replacement', host),
    }) as RDataByType['NAPTR'] | undefined;
  },
};

/**
 * SOA `{mname, rname, serial?, refresh, retry, expire, minimum}` (RFC 1035
 * §3.3.13). An absent serial reads as -1; the zone loader then picks one.
 */
export const SOA: RDataReader<'SOA'> = {
  many: false,
  read(node, ctx) {
    const keys = ['mname', 'rname', 'serial', 'refresh', 'retry', 'expire', 'minimum'];
    const f = readMap(
      node,
      ctx,
      `a mapping with ${keys.filter((k) => k !== 'serial').join(', ')}`,
      keys,
    );
    if (!f) return undefined;
    ctx = within(ctx, node);
    const rname = field(f, ctx, 'rname', (n, c) => {
      const text = n?.kind === 'scalar' ? String(n.value) : '';
      if (!text.includes('@')) return readHostname(n, c);
      const hint = `${text.replace('@', '.')}${text.endsWith('.') ? '' : '.'}`;
      c.sink.add(
        n?.offset ?? c.at,
        c.path,
        `expected a mailbox as a name (RFC 1035 §8), got "${text}" (did you mean "${hint}"?)`,
      );
      return undefined;
    });
    return all({
      mname: field(f, ctx, 'mname', (n, c) => readHostname(n, c)),
      rname,
      serial: f.has('serial') ? field(f, ctx, 'serial', int(MAX_SERIAL)) : -1,
      refresh: field(f, ctx, 'refresh', int(MAX_TIMER_SECONDS)),
      retry: field(f, ctx, 'retry', int(MAX_TIMER_SECONDS)),
      expire: field(f, ctx, 'expire', int(MAX_TIMER_SECONDS)),
      minimum: field(f, ctx, 'minimum', int(MAX_TIMER_SECONDS)),
    }) as RDataByType['SOA'] | undefined;
  },
};
