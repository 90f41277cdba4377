/**
 * Builds one ZoneSource from the text of an octoDNS zone file: owner names,
 * records, per-name and zone-wide checks, the SOA and its serial.
 */
import type { ConfigProblem } from '../errors.js';
import type {
  FailoverSelect,
  FailoverSpec,
  FailoverTarget,
  RData,
  RecordSet,
  RecordType,
  WhenAllDown,
  ZoneSource,
} from '../zone/types.js';
import { ownerName } from './names.js';
import { ProblemSink } from './problems.js';
import { RDATA_READERS, TYPE_NAMES } from './rdata.js';
import { checkNameSets, resolveSoa, type PlacedSet } from './zone-checks.js';
import { parseChunked, parseWhole, type ParseMode } from './zone-text.js';
import {
  fieldContext,
  joinPath,
  keyText,
  missing,
  readChoice,
  readInt,
  readMap,
  readString,
  readText,
  type ReadContext,
} from './value-read.js';
import { LineIndex, type YNode, type YPair } from './yaml-tree.js';

/** TTL of a record that has no `ttl:` (seconds, the octoDNS default). */
export const DEFAULT_TTL_SECONDS = 3600;
/** Largest TTL (RFC 2181 §8). */
export const MAX_TTL_SECONDS = 2_147_483_647;

const RECORD_KEYS = [
  'type',
  'ttl',
  'value',
  'values',
  'failover',
  'select',
  'when_all_down',
  'octodns',
];
const FAILOVER_TYPES: readonly RecordType[] = ['A', 'AAAA', 'CNAME', 'ALIAS'];
const SELECT_CHOICES: readonly FailoverSelect[] = ['first', 'all'];
const WHEN_ALL_DOWN_CHOICES: readonly WhenAllDown[] = ['first', 'all', 'nodata', 'servfail'];
const UNSUPPORTED_KEYS: Readonly<Record<string, string>> = {
  dynamic:
    'expected a plain record, got "dynamic" (octoDNS dynamic records are not supported by vigil)',
  geo: 'expected a plain record, got "geo" (octoDNS geo records are not supported by vigil)',
};
const RECORD_SHAPE = 'a record mapping with type and value or values';

/** Everything needed to build one zone. */
export interface ZoneInput {
  readonly file: string;
  readonly origin: string;
  readonly text: string;
  readonly contentHash: string;
  readonly mtimeSeconds: number;
  /** Serial of this zone in the configuration being replaced, if any. */
  readonly previousSerial?: number;
  /** Parser choice; tests force one, production uses 'auto'. */
  readonly mode?: ParseMode;
}

/** Builds the zone, or returns undefined after adding its problems to `problems`. */
export function buildZone(input: ZoneInput, problems: ConfigProblem[]): ZoneSource | undefined {
  const lines = new LineIndex(input.text);
  const before = problems.length;
  let state = new ZoneState(input, new ProblemSink(input.file, lines, problems), lines);
  const chunked = parseChunked(input.text, input.mode ?? 'auto', (pair) => state.addEntry(pair));
  if (!chunked) {
    // Not splittable after all: forget what the chunked pass found and start over.
    problems.length = before;
    state = new ZoneState(input, new ProblemSink(input.file, lines, problems), lines);
    const whole = parseWhole(input.text);
    for (const p of whole.problems) state.sink.add(p.offset, '', p.message);
    for (const pair of whole.entries) state.addEntry(pair);
  }
  const soa = resolveSoa(
    { ...input, apexSets: state.apexSets, apexOffset: state.apexOffset },
    state.sink,
  );
  if (problems.length > before || !soa) return undefined;
  return {
    origin: input.origin,
    file: input.file,
    rrsets: [soa.soa, ...state.rrsets],
    serialPinned: soa.pinned,
    contentHash: input.contentHash,
  };
}

/** What has been read of one zone so far, entry by entry. */
class ZoneState {
  readonly owners = new Map<string, number>();
  readonly rrsets: RecordSet[] = [];
  apexSets: PlacedSet[] = [];
  apexOffset = -1;

  constructor(
    private readonly input: ZoneInput,
    readonly sink: ProblemSink,
    private readonly lines: LineIndex,
  ) {}

  addEntry({ key, value }: YPair): void {
    const { origin } = this.input;
    const written = keyText(key);
    const path = written === '' ? "''" : written;
    const owner = ownerName(written, origin);
    if ('problem' in owner) {
      this.sink.add(key.offset, path, owner.problem);
      return;
    }
    const first = this.owners.get(owner.name);
    if (first !== undefined) {
      this.sink.add(
        key.offset,
        path,
        `expected each owner name once, got "${written}" again ` +
          `(first on line ${this.sink.lineOf(first)})`,
      );
      return;
    }
    this.owners.set(owner.name, key.offset);
    const apex = owner.name === origin;
    const ctx: ReadContext = { sink: this.sink, path, at: key.offset };
    const sets = readRecords(value, ctx, owner.name, apex, this.lines);
    checkNameSets(sets, apex, this.sink);
    if (apex) {
      this.apexSets = sets;
      this.apexOffset = key.offset;
    }
    for (const placed of sets) if (placed.set.type !== 'SOA') this.rrsets.push(placed.set);
  }
}

/** Reads the value of one owner key: a record mapping or a list of them. */
function readRecords(
  node: YNode | null,
  ctx: ReadContext,
  name: string,
  apex: boolean,
  lines: LineIndex,
): PlacedSet[] {
  const list = node?.kind === 'seq';
  const items = node?.kind === 'seq' ? node.items : [node];
  if (node === null || (node.kind === 'seq' && node.items.length === 0) || node.kind === 'scalar') {
    ctx.sink.expected(node, ctx.at, ctx.path, `${RECORD_SHAPE}, or a list of them`);
    return [];
  }
  const sets: PlacedSet[] = [];
  items.forEach((item, i) => {
    const path = list ? joinPath(ctx.path, i) : ctx.path;
    const at = item?.offset ?? ctx.at;
    const set = readRecord(item, { ...ctx, path, at }, name, apex, lines);
    if (!set) return;
    const twin = sets.find((s) => s.set.type === set.type);
    if (twin) {
      ctx.sink.add(
        at,
        joinPath(path, 'type'),
        `expected one ${set.type} record per name (list its values under "values"), ` +
          `got a second one (first on line ${ctx.sink.lineOf(twin.offset)})`,
      );
      return;
    }
    sets.push({ set, offset: at, path });
  });
  return sets;
}

function readRecord(
  node: YNode | null,
  ctx: ReadContext,
  name: string,
  apex: boolean,
  lines: LineIndex,
): RecordSet | undefined {
  const fields = readMap(node, ctx, RECORD_SHAPE, RECORD_KEYS, UNSUPPORTED_KEYS);
  if (!fields) return undefined;
  const typePair = fields.get('type');
  if (!typePair) {
    ctx.sink.add(ctx.at, ctx.path, `expected key "type", got none`);
    return undefined;
  }
  const type = readType(typePair.value, fieldContext(ctx, fields, 'type'));
  const ttlPair = fields.get('ttl');
  const ttlSeconds = ttlPair
    ? readInt(ttlPair.value, fieldContext(ctx, fields, 'ttl'), 0, MAX_TTL_SECONDS)
    : DEFAULT_TTL_SECONDS;
  if (type === undefined) return undefined;
  if (type === 'SOA' && !apex) {
    ctx.sink.add(
      typePair.value?.offset ?? ctx.at,
      joinPath(ctx.path, 'type'),
      'expected SOA only at the zone apex, got SOA below it',
    );
    return undefined;
  }
  const source = { file: ctx.sink.file, ...lines.position(ctx.at) };
  if (fields.has('failover')) {
    const read = readFailover(type, fields, ctx, lines);
    if (!read || ttlSeconds === undefined) return undefined;
    return { name, type, ttlSeconds, records: read.records, source, failover: read.spec };
  }
  for (const key of ['select', 'when_all_down']) {
    if (fields.has(key)) {
      const at = fieldContext(ctx, fields, key);
      ctx.sink.add(at.at, at.path, `expected "${key}" only beside "failover", got no "failover"`);
      return undefined;
    }
  }
  const records = readValues(type, fields, ctx);
  if (!records || ttlSeconds === undefined) return undefined;
  return { name, type, ttlSeconds, records, source };
}

/**
 * `failover:` (vigil's extension): a list of `{value, check}` in order of
 * preference, with `select` and `when_all_down` beside it.
 */
function readFailover(
  type: RecordType,
  fields: Map<string, YPair>,
  ctx: ReadContext,
  lines: LineIndex,
): { records: RData[]; spec: FailoverSpec } | undefined {
  const fctx = fieldContext(ctx, fields, 'failover');
  if (!FAILOVER_TYPES.includes(type)) {
    ctx.sink.add(
      fctx.at,
      fctx.path,
      `expected failover only on A, AAAA, CNAME or ALIAS, got it on ${type}`,
    );
    return undefined;
  }
  for (const key of ['value', 'values']) {
    if (fields.has(key)) {
      const at = fieldContext(ctx, fields, key);
      ctx.sink.add(at.at, at.path, `expected "failover" or "${key}", got both`);
      return undefined;
    }
  }
  let complete = true;
  const select = readOptionalChoice(fields, ctx, 'select', SELECT_CHOICES, 'first');
  const whenAllDown = readOptionalChoice(
    fields,
    ctx,
    'when_all_down',
    WHEN_ALL_DOWN_CHOICES,
    'first',
  );
  if (select === undefined || whenAllDown === undefined) complete = false;
  if (type === 'CNAME') {
    // A CNAME RRset holds one record (RFC 2181 §10.1): "all" has no meaning.
    for (const [key, value] of [
      ['select', select],
      ['when_all_down', whenAllDown],
    ] as const) {
      if (value === 'all') {
        const at = fieldContext(ctx, fields, key);
        ctx.sink.add(at.at, at.path, `expected first (a CNAME answers one target), got "all"`);
        complete = false;
      }
    }
  }

  const list = fields.get('failover')?.value ?? null;
  if (list?.kind !== 'seq' || list.items.length === 0) {
    ctx.sink.expected(list, fctx.at, fctx.path, 'a list of {value, check} targets');
    return undefined;
  }
  const reader = RDATA_READERS[type];
  const records: RData[] = [];
  const targets: FailoverTarget[] = [];
  const seen = new Map<string, number>();
  list.items.forEach((item, i) => {
    const ictx = { ...fctx, path: joinPath(fctx.path, i), at: item?.offset ?? fctx.at };
    const target = readMap(item, ictx, 'a target mapping with value and optional check', [
      'value',
      'check',
    ]);
    if (!target) return void (complete = false);
    const valuePair = target.get('value');
    if (!valuePair) return void ((complete = false), missing(ictx, 'value'));
    const data = reader.read(valuePair.value, fieldContext(ictx, target, 'value'));
    const checkPair = target.get('check');
    const check =
      checkPair && readText(checkPair.value, fieldContext(ictx, target, 'check'), 'a check name');
    if (data === undefined || (checkPair && check === undefined)) return void (complete = false);
    const canonical = JSON.stringify(data);
    const first = seen.get(canonical);
    if (first !== undefined) {
      const vctx = fieldContext(ictx, target, 'value');
      ctx.sink.add(
        valuePair.value?.offset ?? vctx.at,
        vctx.path,
        `expected distinct targets, got the value of failover[${first}] again`,
      );
      return void (complete = false);
    }
    seen.set(canonical, i);
    records.push(data);
    const at = checkPair?.value?.offset ?? ictx.at;
    const source = { file: ctx.sink.file, ...lines.position(at) };
    targets.push(check === undefined ? { source } : { check, source });
  });
  if (!complete || select === undefined || whenAllDown === undefined) return undefined;
  return { records, spec: { select, whenAllDown, targets } };
}

function readOptionalChoice<T extends string>(
  fields: Map<string, YPair>,
  ctx: ReadContext,
  key: string,
  choices: readonly T[],
  fallback: T,
): T | undefined {
  const pair = fields.get(key);
  return pair ? readChoice(pair.value, fieldContext(ctx, fields, key), choices) : fallback;
}

function readType(node: YNode | null, ctx: ReadContext): RecordType | undefined {
  const text = readString(node, ctx, 'a record type');
  if (text === undefined) return undefined;
  if (text === 'ANAME') return 'ALIAS';
  if (text in RDATA_READERS) return text as RecordType;
  const upper = text.toUpperCase();
  const hint = TYPE_NAMES.includes(upper) ? ` (did you mean "${upper}"?)` : '';
  ctx.sink.add(
    node?.offset ?? ctx.at,
    ctx.path,
    `expected a record type (${TYPE_NAMES.join(', ')}), got "${text}"${hint}`,
  );
  return undefined;
}

/** `value` (one) or `values` (one or a list), read with the type's reader. */
function readValues(
  type: RecordType,
  fields: Map<string, { value: YNode | null }>,
  ctx: ReadContext,
): RData[] | undefined {
  const reader = RDATA_READERS[type];
  const hasValue = fields.has('value');
  const hasValues = fields.has('values');
  const key = hasValues ? 'values' : 'value';
  const vctx = fieldContext(ctx, fields as never, key);
  if (hasValue === hasValues) {
    const got = hasValue ? 'both' : 'neither';
    const want = reader.many ? '"value" or "values"' : '"value"';
    ctx.sink.add(hasValue ? vctx.at : ctx.at, ctx.path, `expected ${want}, got ${got}`);
    return undefined;
  }
  const node = fields.get(key)?.value ?? null;
  if (hasValues && !reader.many) {
    ctx.sink.add(vctx.at, vctx.path, `expected "value" (${type} holds one value), got "values"`);
    return undefined;
  }
  if (hasValue && node?.kind === 'seq') {
    const hint = reader.many ? ' (use "values" for a list)' : '';
    ctx.sink.expected(node, vctx.at, vctx.path, `one ${type} value${hint}`);
    return undefined;
  }
  const items = hasValues && node?.kind === 'seq' ? node.items : [node];
  if (items.length === 0) {
    ctx.sink.expected(node, vctx.at, vctx.path, 'at least one value');
    return undefined;
  }
  const list = hasValues && node?.kind === 'seq';
  const out: RData[] = [];
  const seen = new Set<string>();
  let complete = true;
  items.forEach((item, i) => {
    const ictx = list
      ? { ...vctx, path: joinPath(vctx.path, i), at: item?.offset ?? vctx.at }
      : vctx;
    const data = reader.read(item, ictx);
    if (data === undefined) {
      complete = false;
      return;
    }
    const canonical = items.length > 1 ? JSON.stringify(data) : '';
    if (seen.has(canonical)) {
      ctx.sink.add(ictx.at, ictx.path, 'expected distinct values (RFC 2181 §5), got a repeat');
      complete = false;
    }
    seen.add(canonical);
    out.push(data);
  });
  return complete ? out : undefined;
}
