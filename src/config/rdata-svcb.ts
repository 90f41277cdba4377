/**
 * SVCB and HTTPS values (RFC 9460) in octoDNS form:
 * `{svcpriority, targetname, svcparams: {alpn: [h2], port: 443, ...}}`.
 * Parameters come out as a SvcParam list sorted by key number, as the wire
 * format requires (RFC 9460 §2.2).
 */
import { Address4, Address6 } from 'ip-address';
import type { SvcParam } from '../zone/types.js';
import { readHostname } from './names.js';
import type { RDataReader } from './rdata.js';
import {
  fieldContext,
  joinPath,
  keyText,
  missing,
  readInt,
  readMap,
  readString,
  within,
  type ReadContext,
} from './value-read.js';
import { SVC_PARAM_KEY, findSvcParamKey } from '../wire/index.js';
import type { YNode } from './yaml-tree.js';

/** Reads a list of strings (a single string counts as a comma-separated list). */
function readList(node: YNode | null, ctx: ReadContext): string[] | undefined {
  if (node?.kind === 'scalar') return readString(node, ctx)?.split(',');
  if (node?.kind !== 'seq' || node.items.length === 0) {
    ctx.sink.expected(node, ctx.at, ctx.path, 'a non-empty list');
    return undefined;
  }
  const out = node.items.map((item, i) =>
    readString(item, { ...ctx, path: joinPath(ctx.path, i) }),
  );
  return out.includes(undefined) ? undefined : (out as string[]);
}

function checkEach(
  values: string[] | undefined,
  node: YNode | null,
  ctx: ReadContext,
  what: string,
  ok: (value: string) => boolean,
): string[] | undefined {
  const bad = values?.find((v) => !ok(v));
  if (bad === undefined) return values;
  ctx.sink.add(node?.offset ?? ctx.at, ctx.path, `expected ${what}, got ${JSON.stringify(bad)}`);
  return undefined;
}

function readParam(key: string, node: YNode | null, ctx: ReadContext): string[] | undefined {
  switch (key) {
    case 'no-default-alpn':
      if (node === null || (node.kind === 'scalar' && node.value === null)) return [];
      ctx.sink.expected(node, ctx.at, ctx.path, 'no value (write "no-default-alpn: ~")');
      return undefined;
    case 'port': {
      const port = readInt(node, ctx, 0, 65_535);
      return port === undefined ? undefined : [String(port)];
    }
    case 'ipv4hint':
      return checkEach(
        readList(node, ctx),
        node,
        ctx,
        'IPv4 addresses',
        (v) => !v.includes('/') && Address4.isValid(v),
      );
    case 'ipv6hint':
      return checkEach(
        readList(node, ctx),
        node,
        ctx,
        'IPv6 addresses',
        (v) => !v.includes('/') && !v.includes('%') && Address6.isValid(v),
      )?.map((v) => v.toLowerCase());
    case 'ech': {
      const text = readString(node, ctx, 'a base64 ECHConfigList');
      return checkEach(
        text === undefined ? undefined : [text],
        node,
        ctx,
        'a base64 ECHConfigList',
        (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0,
      );
    }
    case 'mandatory':
      return checkEach(
        readList(node, ctx),
        node,
        ctx,
        'SvcParam key names other than mandatory',
        (v) => v !== 'mandatory' && findSvcParamKey(v) !== undefined,
      );
    case 'alpn':
      return checkEach(
        readList(node, ctx),
        node,
        ctx,
        'ALPN protocol ids of 1 to 255 octets',
        (v) => v.length > 0 && Buffer.byteLength(v) <= 255,
      );
    default: {
      const text = readString(node, ctx);
      return text === undefined ? undefined : [text];
    }
  }
}

function readParams(node: YNode | null, ctx: ReadContext): SvcParam[] | undefined {
  if (node === null || (node.kind === 'scalar' && node.value === null)) return [];
  if (node.kind !== 'map') {
    ctx.sink.expected(node, ctx.at, ctx.path, 'a mapping of SvcParam keys to values');
    return undefined;
  }
  const params: SvcParam[] = [];
  let complete = true;
  for (const pair of node.pairs) {
    const key = keyText(pair.key);
    const keyCtx = { ...ctx, path: joinPath(ctx.path, key), at: pair.key.offset };
    if (findSvcParamKey(key) === undefined) {
      const known = Object.keys(SVC_PARAM_KEY).join(', ');
      ctx.sink.add(
        pair.key.offset,
        keyCtx.path,
        `expected a SvcParam key (${known} or keyNNNNN), got "${key}"`,
      );
      complete = false;
    } else if (params.some((p) => p.key === key)) {
      ctx.sink.add(pair.key.offset, keyCtx.path, `expected each key once, got "${key}" again`);
      complete = false;
    } else {
      const values = readParam(key, pair.value, keyCtx);
      if (values) params.push({ key, values });
      else complete = false;
    }
  }
  if (!complete) return undefined;
  return checkParamSet(params, node, ctx);
}

/** RFC 9460 §8: keys listed in mandatory must be present; §7.1.1: no-default-alpn needs alpn. */
function checkParamSet(params: SvcParam[], node: YNode, ctx: ReadContext) {
  const keys = new Set(params.map((p) => p.key));
  const absent = params.find((p) => p.key === 'mandatory')?.values.find((k) => !keys.has(k));
  if (absent !== undefined) {
    ctx.sink.add(
      node.offset,
      ctx.path,
      `expected every key listed in mandatory to be present (RFC 9460 §8), got no "${absent}"`,
    );
    return undefined;
  }
  if (keys.has('no-default-alpn') && !keys.has('alpn')) {
    ctx.sink.add(
      node.offset,
      ctx.path,
      'expected alpn beside no-default-alpn (RFC 9460 §7.1.1), got none',
    );
    return undefined;
  }
  return params.sort((a, b) => (findSvcParamKey(a.key) ?? 0) - (findSvcParamKey(b.key) ?? 0));
}

/** SVCB and HTTPS; targetname `.` means the owner name itself (RFC 9460 §2.5). */
export const SVCB: RDataReader<'SVCB'> = {
  many: true,
  read(node, ctx) {
    const keys = ['svcpriority', 'targetname', 'svcparams'];
    const fields = readMap(node, ctx, 'a mapping with svcpriority, targetname and svcparams', keys);
    if (!fields) return undefined;
    const at = within(ctx, node);
    const get = (key: string) => fields.get(key)?.value ?? null;
    const priority = fields.has('svcpriority')
      ? readInt(get('svcpriority'), fieldContext(at, fields, 'svcpriority'), 0, 65_535)
      : missing(at, 'svcpriority');
    const target = fields.has('targetname')
      ? readHostname(get('targetname'), fieldContext(at, fields, 'targetname'), true)
      : missing(at, 'targetname');
    const params = readParams(get('svcparams'), fieldContext(at, fields, 'svcparams'));
    if (priority === undefined || target === undefined || params === undefined) return undefined;
    return { priority, target, params };
  },
};
