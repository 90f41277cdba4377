/**
 * `type: http` and `type: https` checks: path, method, expect, headers and
 * (https) tls. Also reads HTTP header maps, which webhooks share.
 */
import type { CheckBase, HttpCheck, StatusRange } from '../health/types.js';
import type { CheckEnv, CheckKind } from './check-kinds.js';
import { DEFAULT_TLS, readTls } from './check-tls.js';
import {
  fieldContext,
  joinPath,
  keyText,
  readChoice,
  readMap,
  readString,
  readText,
  type ReadContext,
} from './value-read.js';
import type { YNode, YPair } from './yaml-tree.js';

/** Request path when `path` is absent. */
export const DEFAULT_HTTP_PATH = '/';
/** Request method when `method` is absent. */
export const DEFAULT_HTTP_METHOD = 'GET';
/** Passing statuses when `expect.status` is absent: any success or redirect. */
export const DEFAULT_EXPECT_STATUS: readonly StatusRange[] = [[200, 399]];

const METHODS = ['GET', 'HEAD'] as const;
const STATUS_WHAT = 'a status from 100 to 599 or a range such as "200-299"';
const PATH_WHAT = 'a path starting with "/", without spaces';
// RFC 9110 §5.1: a field name is a token; §5.5: a value holds no CR, LF or NUL.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;

function kind(tls: boolean): CheckKind {
  return {
    keys: tls
      ? ['path', 'method', 'expect', 'headers', 'tls']
      : ['path', 'method', 'expect', 'headers'],
    defaultPort: tls ? 443 : 80,
    read: (f, ctx, env) => readHttpFields(f, ctx, env, tls),
  };
}

/** `type: http`: port 80 by default, no TLS. */
export const HTTP_KIND = kind(false);
/** `type: https`: port 443 by default, TLS verified unless `tls.verify: false`. */
export const HTTPS_KIND = kind(true);

function readHttpFields(
  f: Map<string, YPair>,
  ctx: ReadContext,
  env: CheckEnv,
  tls: boolean,
): Omit<HttpCheck, keyof CheckBase> | undefined {
  const pathPair = f.get('path');
  const path = pathPair
    ? readPath(pathPair.value, fieldContext(ctx, f, 'path'))
    : DEFAULT_HTTP_PATH;
  const methodPair = f.get('method');
  const method = methodPair
    ? readChoice(methodPair.value, fieldContext(ctx, f, 'method'), METHODS)
    : DEFAULT_HTTP_METHOD;
  const expectPair = f.get('expect');
  const expect = expectPair
    ? readHttpExpect(expectPair.value, fieldContext(ctx, f, 'expect'))
    : { expectStatus: DEFAULT_EXPECT_STATUS, expectBody: undefined };
  const headersPair = f.get('headers');
  const headers = headersPair
    ? readHeaders(headersPair.value, fieldContext(ctx, f, 'headers'))
    : {};
  const tlsPair = f.get('tls');
  const tlsSettings = !tls
    ? undefined
    : tlsPair
      ? readTls(tlsPair.value, fieldContext(ctx, f, 'tls'), env)
      : DEFAULT_TLS;
  if (!path || !method || !expect || !headers || (tls && !tlsSettings)) return undefined;
  return { path, method, ...expect, headers, tls: tlsSettings };
}

function readPath(node: YNode | null, ctx: ReadContext): string | undefined {
  const text = readString(node, ctx, PATH_WHAT);
  if (text === undefined || /^\/[^\s\0]*$/.test(text)) return text;
  ctx.sink.expected(node, ctx.at, ctx.path, PATH_WHAT);
  return undefined;
}

function readHttpExpect(
  node: YNode | null,
  ctx: ReadContext,
): Pick<HttpCheck, 'expectStatus' | 'expectBody'> | undefined {
  const f = readMap(node, ctx, 'a mapping with status or body', ['status', 'body']);
  if (!f) return undefined;
  const statusPair = f.get('status');
  const expectStatus = statusPair
    ? readStatuses(statusPair.value, fieldContext(ctx, f, 'status'))
    : DEFAULT_EXPECT_STATUS;
  const bodyPair = f.get('body');
  const expectBody = bodyPair ? readText(bodyPair.value, fieldContext(ctx, f, 'body')) : undefined;
  if (!expectStatus || (bodyPair && expectBody === undefined)) return undefined;
  return { expectStatus, expectBody };
}

/** `status: 200`, `status: 200-299` or a list of those. */
function readStatuses(node: YNode | null, ctx: ReadContext): StatusRange[] | undefined {
  if (node?.kind !== 'seq') {
    const one = readStatus(node, ctx);
    return one && [one];
  }
  if (node.items.length === 0) {
    ctx.sink.expected(node, ctx.at, ctx.path, `a non-empty list of statuses`);
    return undefined;
  }
  const out = node.items.map((item, i) =>
    readStatus(item, { ...ctx, path: joinPath(ctx.path, i), at: item?.offset ?? ctx.at }),
  );
  return out.every((r) => r !== undefined) ? (out as StatusRange[]) : undefined;
}

function readStatus(node: YNode | null, ctx: ReadContext): StatusRange | undefined {
  const text = node?.kind === 'scalar' ? (node.plain ?? String(node.value)) : '';
  const match = /^(\d{3})(?:-(\d{3}))?$/.exec(text);
  const low = Number(match?.[1]);
  const high = match?.[2] === undefined ? low : Number(match[2]);
  if (match && low >= 100 && high <= 599 && low <= high) return [low, high];
  ctx.sink.expected(node, ctx.at, ctx.path, STATUS_WHAT);
  return undefined;
}

/**
 * Reads a mapping of HTTP header names to string values. Host is refused:
 * vigil derives it from the check's host or the webhook's URL.
 */
export function readHeaders(
  node: YNode | null,
  ctx: ReadContext,
): Record<string, string> | undefined {
  const names = node?.kind === 'map' ? node.pairs.map((p) => keyText(p.key)) : [];
  const f = readMap(node, ctx, 'a mapping of header names to values', names);
  if (!f) return undefined;
  const out: Record<string, string> = {};
  const seen = new Map<string, string>();
  let complete = true;
  for (const [name, pair] of f) {
    const hctx = fieldContext(ctx, f, name);
    const lower = name.toLowerCase();
    let problem: string | undefined;
    if (!HEADER_NAME.test(name)) problem = `expected a header name (RFC 9110 §5.1), got "${name}"`;
    else if (lower === 'host') problem = 'expected no Host header (vigil sets it), got one';
    else if (seen.has(lower)) {
      problem = `expected each header once, got "${name}" and "${seen.get(lower)}"`;
    }
    if (problem) {
      ctx.sink.add(pair.key.offset, hctx.path, problem);
      complete = false;
      continue;
    }
    seen.set(lower, name);
    const value = readString(pair.value, hctx, 'a header value');
    if (value !== undefined && !HEADER_VALUE.test(value)) {
      ctx.sink.expected(pair.value, hctx.at, hctx.path, 'a header value without line breaks');
      complete = false;
    } else if (value === undefined) complete = false;
    else out[name] = value;
  }
  return complete ? out : undefined;
}
