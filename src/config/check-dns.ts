/**
 * `type: dns` checks: ask `host` (or `address`) one question and compare the
 * rcode and, optionally, one answer's data.
 */
import type { CheckBase, DnsCheck } from '../health/types.js';
import { TYPE_CODE } from '../zone/types.js';
import type { CheckEnv, CheckKind } from './check-kinds.js';
import { readBareHostname } from './names.js';
import {
  fieldContext,
  readChoice,
  readIpAddress,
  readMap,
  readText,
  type ReadContext,
} from './value-read.js';
import type { YNode, YPair } from './yaml-tree.js';

/** Port of a DNS check when `port` is absent. */
export const DEFAULT_DNS_PORT = 53;
/** Query type when `query.type` is absent. */
export const DEFAULT_QUERY_TYPE = 'A';
/** Passing rcode when `expect.rcode` is absent. */
export const DEFAULT_EXPECT_RCODE = 'NOERROR';

// The rcodes a plain query can get back (RFC 1035 §4.1.1); BADVERS needs EDNS.
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const QUERY_TYPES = Object.keys(TYPE_CODE);

/** `type: dns`: port 53 by default; the question defaults to the host's A record. */
export const DNS_KIND: CheckKind = {
  keys: ['query', 'expect'],
  defaultPort: DEFAULT_DNS_PORT,
  read: readDnsFields,
};

function readDnsFields(
  f: Map<string, YPair>,
  ctx: ReadContext,
  env: CheckEnv,
): Omit<DnsCheck, keyof CheckBase> | undefined {
  const queryPair = f.get('query');
  const query = queryPair
    ? readQuery(queryPair.value, fieldContext(ctx, f, 'query'), env)
    : env.host
      ? { name: env.host, type: DEFAULT_QUERY_TYPE }
      : undefined;
  const expectPair = f.get('expect');
  const expect = expectPair
    ? readDnsExpect(expectPair.value, fieldContext(ctx, f, 'expect'), query?.type)
    : { expectRcode: DEFAULT_EXPECT_RCODE, expectAnswer: undefined };
  if (!query || !expect) return undefined;
  return { query, ...expect };
}

function readQuery(
  node: YNode | null,
  ctx: ReadContext,
  env: CheckEnv,
): DnsCheck['query'] | undefined {
  const f = readMap(node, ctx, 'a mapping with name or type', ['name', 'type']);
  if (!f) return undefined;
  const namePair = f.get('name');
  const name = namePair ? readBareHostname(namePair.value, fieldContext(ctx, f, 'name')) : env.host;
  const typePair = f.get('type');
  const type = typePair
    ? readChoice(typePair.value, fieldContext(ctx, f, 'type'), QUERY_TYPES)
    : DEFAULT_QUERY_TYPE;
  return name && type ? { name, type } : undefined;
}

/**
 * Reads `expect: {rcode, answer}`. For A and AAAA questions the answer must
 * be an address of that family, stored in canonical form so it compares
 * equal to what the probe decodes.
 */
function readDnsExpect(
  node: YNode | null,
  ctx: ReadContext,
  queryType: string | undefined,
): Pick<DnsCheck, 'expectRcode' | 'expectAnswer'> | undefined {
  const f = readMap(node, ctx, 'a mapping with rcode or answer', ['rcode', 'answer']);
  if (!f) return undefined;
  const rcodePair = f.get('rcode');
  const expectRcode = rcodePair
    ? readChoice(rcodePair.value, fieldContext(ctx, f, 'rcode'), RCODES)
    : DEFAULT_EXPECT_RCODE;
  const answerPair = f.get('answer');
  const answerCtx = fieldContext(ctx, f, 'answer');
  const family = queryType === 'A' ? 4 : queryType === 'AAAA' ? 6 : undefined;
  const expectAnswer = !answerPair
    ? undefined
    : family
      ? readIpAddress(answerPair.value, answerCtx, family)
      : readText(answerPair.value, answerCtx);
  if (!expectRcode || (answerPair && expectAnswer === undefined)) return undefined;
  return { expectRcode, expectAnswer };
}
