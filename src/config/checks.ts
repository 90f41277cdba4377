/**
 * `checks:` of the main file: one health-check definition per name, read into
 * the CheckConfig model of src/health/types.ts. The keys every type shares
 * are read here; each type's own keys by its file in the CHECK_KINDS registry.
 */
import type { CheckConfig, InitialState } from '../health/types.js';
import { CHECK_KINDS, CHECK_TYPES, TYPE_KEYS, type CaFile, type CheckEnv } from './check-kinds.js';
import { readBareHostname } from './names.js';
import type { ProblemSink } from './problems.js';
import {
  fieldContext,
  keyText,
  readChoice,
  readDuration,
  readInt,
  readIpAddress,
  readMap,
  within,
  type ReadContext,
} from './value-read.js';
import type { YNode, YPair } from './yaml-tree.js';

/** Time between probes when `interval` is absent. */
export const DEFAULT_INTERVAL_MS = 30_000;
/** Time a probe may take when `timeout` is absent. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Consecutive passes that make a check up, when `rise` is absent. */
export const DEFAULT_RISE = 2;
/** Consecutive failures that make a check down, when `fall` is absent. */
export const DEFAULT_FALL = 3;
/** State before the first verdict, when `initial` is absent. */
export const DEFAULT_INITIAL: InitialState = 'up';

const MIN_INTERVAL_MS = 1000;
const MAX_RISE_FALL = 100;
const CHECK_NAME = /^[A-Za-z0-9_-]{1,63}$/;
const COMMON_KEYS = [
  'type',
  'host',
  'address',
  'port',
  'interval',
  'timeout',
  'rise',
  'fall',
  'initial',
];
const INITIAL_STATES: readonly InitialState[] = ['up', 'down'];

/** Checks as parsed; their `tls.ca` is filled in later from `caFiles` (readCaFiles). */
export interface ParsedChecks {
  readonly checks: CheckConfig[];
  readonly caFiles: CaFile[];
}

/**
 * Reads the `checks:` mapping. Every problem is recorded; the checks without
 * problems are returned. `baseDir` is the main file's folder.
 */
export function readChecks(
  node: YNode | null,
  ctx: ReadContext,
  baseDir: string,
  warnings: ProblemSink,
): ParsedChecks {
  const out: ParsedChecks = { checks: [], caFiles: [] };
  const names = node?.kind === 'map' ? node.pairs.map((p) => keyText(p.key)) : [];
  const f = readMap(node, ctx, 'a mapping of check names to checks', names);
  for (const [name, pair] of f ?? []) {
    const cctx = fieldContext(ctx, f!, name);
    if (!CHECK_NAME.test(name)) {
      const what = '1 to 63 letters, digits, "-" or "_"';
      ctx.sink.add(pair.key.offset, cctx.path, `expected a check name of ${what}, got "${name}"`);
      continue;
    }
    const env = { name, host: undefined, baseDir, warnings, caFiles: out.caFiles };
    const check = readCheck(pair, cctx, env);
    if (check) out.checks.push(check);
  }
  return out;
}

function readCheck(pair: YPair, ctx: ReadContext, env: CheckEnv): CheckConfig | undefined {
  const node = pair.value;
  // The type decides which keys are allowed, so it is looked at first.
  const typeNode =
    node?.kind === 'map' ? node.pairs.find((p) => keyText(p.key) === 'type') : undefined;
  const typeValue = typeNode?.value?.kind === 'scalar' ? typeNode.value.value : undefined;
  const kind = CHECK_TYPES.find((t) => t === typeValue);
  const own = kind ? CHECK_KINDS[kind].keys : TYPE_KEYS;
  const notValid = Object.fromEntries(
    TYPE_KEYS.filter((k) => !own.includes(k)).map((k) => [k, `not valid for type ${kind}`]),
  );
  const f = readMap(node, ctx, 'a mapping with type and host', [...COMMON_KEYS, ...own], notValid);
  if (!f) return undefined;
  const c = within(ctx, node);

  const type = f.has('type')
    ? readChoice(f.get('type')!.value, fieldContext(c, f, 'type'), CHECK_TYPES)
    : absent(c, 'type');
  const host = f.has('host')
    ? readBareHostname(f.get('host')!.value, fieldContext(c, f, 'host'))
    : absent(c, 'host');
  const address = f.has('address')
    ? readIpAddress(f.get('address')!.value, fieldContext(c, f, 'address'))
    : undefined;
  const port = f.has('port')
    ? readInt(f.get('port')!.value, fieldContext(c, f, 'port'), 1, 65_535)
    : kind && defaultPort(c, kind);
  const timing = readTiming(f, c);
  const rise = f.has('rise')
    ? readInt(f.get('rise')!.value, fieldContext(c, f, 'rise'), 1, MAX_RISE_FALL)
    : DEFAULT_RISE;
  const fall = f.has('fall')
    ? readInt(f.get('fall')!.value, fieldContext(c, f, 'fall'), 1, MAX_RISE_FALL)
    : DEFAULT_FALL;
  const initial = f.has('initial')
    ? readChoice(f.get('initial')!.value, fieldContext(c, f, 'initial'), INITIAL_STATES)
    : DEFAULT_INITIAL;
  if (!kind || !type) return undefined;

  const fields = CHECK_KINDS[kind].read(f, c, { ...env, host });
  if (
    !fields ||
    !host ||
    (f.has('address') && !address) ||
    !port ||
    !timing ||
    !rise ||
    !fall ||
    !initial
  ) {
    return undefined;
  }
  const base = { name: env.name, type, host, address, port, ...timing, rise, fall, initial };
  return { ...base, source: ctx.sink.locate(pair.key.offset), ...fields } as CheckConfig;
}

function absent(ctx: ReadContext, key: string): undefined {
  ctx.sink.add(ctx.at, ctx.path, `expected key "${key}", got none`);
  return undefined;
}

function defaultPort(ctx: ReadContext, kind: (typeof CHECK_TYPES)[number]): number | undefined {
  const port = CHECK_KINDS[kind].defaultPort;
  if (port === undefined)
    ctx.sink.add(ctx.at, ctx.path, `expected key "port" for type ${kind}, got none`);
  return port;
}

/** `interval` (at least 1s) and `timeout` (shorter than the interval). */
function readTiming(
  f: Map<string, YPair>,
  ctx: ReadContext,
): { intervalMs: number; timeoutMs: number } | undefined {
  const intervalPair = f.get('interval');
  const intervalCtx = fieldContext(ctx, f, 'interval');
  let intervalMs = intervalPair
    ? readDuration(intervalPair.value, intervalCtx)
    : DEFAULT_INTERVAL_MS;
  if (intervalMs !== undefined && intervalMs < MIN_INTERVAL_MS) {
    ctx.sink.expected(
      intervalPair!.value,
      intervalCtx.at,
      intervalCtx.path,
      'a duration of at least 1s',
    );
    intervalMs = undefined;
  }
  const timeoutPair = f.get('timeout');
  const timeoutCtx = fieldContext(ctx, f, 'timeout');
  let timeoutMs = timeoutPair ? readDuration(timeoutPair.value, timeoutCtx) : DEFAULT_TIMEOUT_MS;
  if (timeoutMs === 0) {
    ctx.sink.expected(timeoutPair!.value, timeoutCtx.at, timeoutCtx.path, 'a duration above 0');
    timeoutMs = undefined;
  }
  if (intervalMs === undefined || timeoutMs === undefined) return undefined;
  if (timeoutMs < intervalMs) return { intervalMs, timeoutMs };

  // Report at whichever of the two was written; a defaulted one cannot be wrong alone.
  if (timeoutPair) {
    const what = `a duration less than the interval (${intervalMs}ms)`;
    ctx.sink.expected(timeoutPair.value, timeoutCtx.at, timeoutCtx.path, what);
  } else {
    const what = `a duration more than the timeout (${DEFAULT_TIMEOUT_MS}ms by default)`;
    ctx.sink.expected(intervalPair?.value ?? null, intervalCtx.at, intervalCtx.path, what);
  }
  return undefined;
}
