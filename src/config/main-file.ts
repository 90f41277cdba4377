/**
 * The main file (config/vigil.yaml): `server:`, the `zones:` folder,
 * `checks:` and `notify:`.
 */
import { getServers } from 'node:dns';
import { isAbsolute, dirname, resolve } from 'node:path';
import { Address4, Address6 } from 'ip-address';
import { parseDocument } from 'yaml';
import type { ConfigProblem } from '../errors.js';
import { readChecks, type ParsedChecks } from './checks.js';
import { DEFAULT_NOTIFY, readNotify } from './notify.js';
import { ProblemSink } from './problems.js';
import type { ListenAddress, NotifyConfig, ResolverAddress, ServerConfig } from './types.js';
import {
  fieldContext,
  joinPath,
  readDuration,
  readInt,
  readMap,
  readString,
  type ReadContext,
} from './value-read.js';
import { ComplexKey, LineIndex, UnresolvedAlias, fromYaml, type YNode } from './yaml-tree.js';

/** Idle TCP connections close after this long (RFC 7766 §6.2.3 suggests seconds). */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 10_000;
/** Concurrent TCP connections accepted before new ones are refused. */
export const DEFAULT_TCP_MAX_CONNECTIONS = 1024;
/** pino level when `log_level` is absent. */
export const DEFAULT_LOG_LEVEL = 'info';
/** Zone folder, relative to the main file, when `zones` is absent. */
export const DEFAULT_ZONES_DIR = 'zones';
/** Probes running at once when `probe_concurrency` is absent. */
export const DEFAULT_PROBE_CONCURRENCY = 64;
/** Worker threads that run probes when `probe_threads` is absent. */
export const DEFAULT_PROBE_THREADS = 1;
/** How long past its TTL an ALIAS target's last good answer is served while upstreams fail. */
export const DEFAULT_ALIAS_MAX_STALE_MS = 3_600_000;
/** Port of a `resolvers` entry written without one. */
export const DEFAULT_RESOLVER_PORT = 53;
/** Resolver used when `resolvers` is absent and the system names none. */
export const DEFAULT_SYSTEM_RESOLVER: ResolverAddress = { host: '127.0.0.1', port: 53 };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const MAX_TCP_CONNECTIONS = 1_000_000;
const MAX_PROBE_CONCURRENCY = 10_000;
const MAX_PROBE_THREADS = 64;
const TOP_KEYS = ['server', 'zones', 'checks', 'notify'];
const SERVER_KEYS = [
  'listen',
  'tcp_idle_timeout',
  'tcp_max_connections',
  'log_level',
  'http',
  'probe_concurrency',
  'probe_threads',
  'resolvers',
  'alias_max_stale',
];
const LISTEN_FORMS = 'an address and port such as "127.0.0.1:53" or "[::1]:53"';
const RESOLVER_FORMS =
  'an IP address with an optional port such as "192.0.2.53", "192.0.2.53:53" or "[2001:db8::53]:53"';

/** The main file's content, before zones are read. */
export interface MainFile {
  /** Undefined when `server:` has problems (they are in the problem list). */
  readonly server: ServerConfig | undefined;
  readonly zonesDir: string;
  /** Offset of the `zones:` value (for folder errors), or -1 when defaulted. */
  readonly zonesOffset: number;
  /** Checks without problems; their `ca` files are still to be read. */
  readonly checks: ParsedChecks;
  /** Undefined when `notify:` has problems. */
  readonly notify: NotifyConfig | undefined;
  readonly sink: ProblemSink;
  /** Warnings, in the same shape as problems. */
  readonly warnings: ConfigProblem[];
}

/**
 * Parses and validates the main file; problems go to `problems`. Returns the
 * zone folder even when `server:` is wrong, so zone files get checked too.
 */
export function parseMainFile(
  file: string,
  text: string,
  problems: ConfigProblem[],
): MainFile | undefined {
  const lines = new LineIndex(text);
  const sink = new ProblemSink(file, lines, problems);
  const warnings: ConfigProblem[] = [];
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  for (const e of doc.errors) sink.add(e.pos[0], '', `invalid YAML: ${e.message}`);
  if (doc.errors.length > 0) return undefined;
  let root: YNode | null;
  try {
    root = fromYaml(doc.contents, doc, 0);
  } catch (err) {
    if (!(err instanceof UnresolvedAlias || err instanceof ComplexKey)) throw err;
    sink.add(
      err.offset,
      '',
      'expected plain keys and anchored aliases, got an unresolved alias or complex key',
    );
    return undefined;
  }
  const ctx: ReadContext = { sink, path: '', at: -1 };
  const top = readMap(root, ctx, 'a mapping with server and zones', TOP_KEYS);
  if (!top) return undefined;
  const serverPair = top.get('server');
  const server = serverPair
    ? readServer(serverPair.value, fieldContext(ctx, top, 'server'))
    : void sink.add(root?.offset ?? -1, '', 'expected key "server", got none');
  const zonesPair = top.get('zones');
  const zonesText = zonesPair
    ? readString(zonesPair.value, fieldContext(ctx, top, 'zones'), 'a folder path')
    : DEFAULT_ZONES_DIR;
  const checksPair = top.get('checks');
  const checks = checksPair
    ? readChecks(
        checksPair.value,
        fieldContext(ctx, top, 'checks'),
        dirname(file),
        new ProblemSink(file, lines, warnings),
      )
    : { checks: [], caFiles: [] };
  const notifyPair = top.get('notify');
  const notify = notifyPair
    ? readNotify(notifyPair.value, fieldContext(ctx, top, 'notify'))
    : DEFAULT_NOTIFY;
  if (zonesText === undefined) return undefined;
  const zonesDir = isAbsolute(zonesText) ? zonesText : resolve(dirname(file), zonesText);
  const zonesOffset = zonesPair?.value?.offset ?? -1;
  return { server, zonesDir, zonesOffset, checks, notify, sink, warnings };
}

function readServer(node: YNode | null, ctx: ReadContext): ServerConfig | undefined {
  const f = readMap(node, ctx, 'a mapping with listen', SERVER_KEYS);
  if (!f) return undefined;
  const listenPair = f.get('listen');
  const listen = listenPair
    ? readAddressList(listenPair.value, fieldContext(ctx, f, 'listen'), LISTEN_FORMS, parseListen)
    : void ctx.sink.add(node?.offset ?? ctx.at, ctx.path, 'expected key "listen", got none');
  const idle = f.get('tcp_idle_timeout');
  const tcpIdleTimeoutMs = idle
    ? readDuration(idle.value, fieldContext(ctx, f, 'tcp_idle_timeout'))
    : DEFAULT_TCP_IDLE_TIMEOUT_MS;
  const max = f.get('tcp_max_connections');
  const tcpMaxConnections = max
    ? readInt(max.value, fieldContext(ctx, f, 'tcp_max_connections'), 1, MAX_TCP_CONNECTIONS)
    : DEFAULT_TCP_MAX_CONNECTIONS;
  const level = f.get('log_level');
  const logLevel = level
    ? readLogLevel(level.value, fieldContext(ctx, f, 'log_level'))
    : DEFAULT_LOG_LEVEL;
  const httpPair = f.get('http');
  const http = httpPair
    ? readHttpListen(httpPair.value, fieldContext(ctx, f, 'http'), listen)
    : undefined;
  const concurrency = f.get('probe_concurrency');
  const probeConcurrency = concurrency
    ? readInt(
        concurrency.value,
        fieldContext(ctx, f, 'probe_concurrency'),
        1,
        MAX_PROBE_CONCURRENCY,
      )
    : DEFAULT_PROBE_CONCURRENCY;
  const threads = f.get('probe_threads');
  const probeThreads = threads
    ? readInt(threads.value, fieldContext(ctx, f, 'probe_threads'), 1, MAX_PROBE_THREADS)
    : DEFAULT_PROBE_THREADS;
  const resolversPair = f.get('resolvers');
  const resolvers = resolversPair
    ? readAddressList(
        resolversPair.value,
        fieldContext(ctx, f, 'resolvers'),
        RESOLVER_FORMS,
        parseResolver,
      )
    : systemResolvers();
  const maxStale = f.get('alias_max_stale');
  const aliasMaxStaleMs = maxStale
    ? readDuration(maxStale.value, fieldContext(ctx, f, 'alias_max_stale'))
    : DEFAULT_ALIAS_MAX_STALE_MS;
  if (
    !listen ||
    tcpIdleTimeoutMs === undefined ||
    tcpMaxConnections === undefined ||
    !logLevel ||
    (httpPair && !http) ||
    probeConcurrency === undefined ||
    probeThreads === undefined ||
    !resolvers ||
    aliasMaxStaleMs === undefined
  ) {
    return undefined;
  }
  return {
    listen,
    tcpIdleTimeoutMs,
    tcpMaxConnections,
    logLevel,
    http,
    probeConcurrency,
    probeThreads,
    resolvers,
    aliasMaxStaleMs,
  };
}

/**
 * The system's resolvers as node:dns reports them (from /etc/resolv.conf on
 * Linux), in the same forms `resolvers` takes; entries that are not plain IP
 * literals (IPv6 with a zone id) are skipped. DEFAULT_SYSTEM_RESOLVER when
 * none is left.
 */
export function systemResolvers(servers: readonly string[] = getServers()): ResolverAddress[] {
  const found = servers.map(parseResolver).filter((s) => s !== undefined);
  return found.length > 0 ? found : [{ ...DEFAULT_SYSTEM_RESOLVER }];
}

/** `server.http`: one address and port, not one the DNS listeners take (TCP would clash). */
function readHttpListen(
  node: YNode | null,
  ctx: ReadContext,
  listen: readonly ListenAddress[] | undefined,
): ListenAddress | undefined {
  const text = readString(node, ctx, LISTEN_FORMS);
  const address = text === undefined ? undefined : parseListen(text);
  if (!address) {
    if (text !== undefined) ctx.sink.expected(node, ctx.at, ctx.path, LISTEN_FORMS);
    return undefined;
  }
  const clash = (listen ?? []).findIndex(
    (l) => address.port !== 0 && l.host === address.host && l.port === address.port,
  );
  if (clash === -1) return address;
  const got = `${JSON.stringify(text)} (also listen[${clash}])`;
  ctx.sink.add(node?.offset ?? ctx.at, ctx.path, `expected an address not in listen, got ${got}`);
  return undefined;
}

function readLogLevel(node: YNode | null, ctx: ReadContext): string | undefined {
  const text = readString(node, ctx, 'a log level');
  if (text === undefined || LOG_LEVELS.includes(text)) return text;
  ctx.sink.expected(node, ctx.at, ctx.path, `one of ${LOG_LEVELS.join(', ')}`);
  return undefined;
}

/**
 * A non-empty list of addresses in `forms` (which starts with "an "), each
 * read by `parse` and each given once: `listen` and `resolvers`.
 */
function readAddressList<T extends { host: string; port: number }>(
  node: YNode | null,
  ctx: ReadContext,
  forms: string,
  parse: (text: string) => T | undefined,
): T[] | undefined {
  if (node?.kind !== 'seq' || node.items.length === 0) {
    ctx.sink.expected(node, ctx.at, ctx.path, `a non-empty list of ${forms.slice(3)}`);
    return undefined;
  }
  const listKey = ctx.path.slice(ctx.path.lastIndexOf('.') + 1);
  const out: T[] = [];
  const seen = new Map<string, number>();
  let complete = true;
  node.items.forEach((item, i) => {
    const ictx = { ...ctx, path: joinPath(ctx.path, i), at: item?.offset ?? ctx.at };
    const text = readString(item, ictx, forms);
    const address = text === undefined ? undefined : parse(text);
    if (!address) {
      if (text !== undefined) ctx.sink.expected(item, ictx.at, ictx.path, forms);
      complete = false;
      return;
    }
    const key = `${address.host} ${address.port}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.sink.add(
        ictx.at,
        ictx.path,
        `expected each address once, got ${JSON.stringify(text)} again (first at ${listKey}[${first}])`,
      );
      complete = false;
    }
    seen.set(key, i);
    out.push(address);
  });
  return complete ? out : undefined;
}

/** Parses "192.0.2.1:53" or "[2001:db8::1]:53" (no subnets, no zone ids). */
function parseListen(text: string): ListenAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65_535) return undefined;
  const host = match[1] !== undefined ? canonicalIp(match[1], 6) : canonicalIp(match[2]!, 4);
  return host === undefined ? undefined : { host, port, family: match[1] !== undefined ? 6 : 4 };
}

/**
 * Parses a resolver as node:dns writes them: "192.0.2.53", "192.0.2.53:53",
 * "2001:db8::53", "[2001:db8::53]" or "[2001:db8::53]:53"; port 1 to 65535,
 * DEFAULT_RESOLVER_PORT when absent.
 */
function parseResolver(text: string): ResolverAddress | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const v4 = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(text);
  let host: string | undefined;
  let portText: string | undefined;
  if (bracketed) [host, portText] = [canonicalIp(bracketed[1]!, 6), bracketed[2]];
  else if (v4) [host, portText] = [canonicalIp(v4[1]!, 4), v4[2]];
  else host = canonicalIp(text, 6); // bare IPv6: every colon belongs to the address
  const port = portText === undefined ? DEFAULT_RESOLVER_PORT : Number(portText);
  if (host === undefined || port < 1 || port > 65_535) return undefined;
  return { host, port };
}

/** An IP literal of `family` in canonical form; no subnets, no zone ids. */
function canonicalIp(text: string, family: 4 | 6): string | undefined {
  if (text.includes('/') || text.includes('%')) return undefined;
  if (family === 6) return Address6.isValid(text) ? new Address6(text).correctForm() : undefined;
  return Address4.isValid(text) ? new Address4(text).correctForm() : undefined;
}
