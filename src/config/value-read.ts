/**
 * Typed readers over YNode values used by the main-file and record parsers:
 * each returns the value or undefined after recording a problem.
 */
import { Address4, Address6 } from 'ip-address';
import { parseDuration } from './duration.js';
import type { ProblemSink } from './problems.js';
import type { YNode, YPair, YScalar } from './yaml-tree.js';

/** Where a value sits: the sink to report into, its key path, and an offset for absent values. */
export interface ReadContext {
  readonly sink: ProblemSink;
  readonly path: string;
  /** Offset to report at when the node is missing (usually the key's). */
  readonly at: number;
}

/** Joins key paths: `www[1]` + `value` -> `www[1].value`; indexes join without a dot. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** The text of a mapping key as written (plain keys keep their source spelling). */
export function keyText(key: YScalar): string {
  return key.plain ?? String(key.value);
}

/**
 * Reads a mapping's keys, reporting duplicates (with the first line) and keys
 * outside `allowed` (those in `unsupported` get that message instead).
 */
export function readMap(
  node: YNode | null,
  ctx: ReadContext,
  shape: string,
  allowed: readonly string[],
  unsupported: Readonly<Record<string, string>> = {},
): Map<string, YPair> | undefined {
  if (node?.kind !== 'map') {
    ctx.sink.expected(node, ctx.at, ctx.path, shape);
    return undefined;
  }
  const out = new Map<string, YPair>();
  for (const pair of node.pairs) {
    const key = keyText(pair.key);
    const path = joinPath(ctx.path, key);
    const first = out.get(key);
    if (first) {
      const line = ctx.sink.lineOf(first.key.offset);
      ctx.sink.add(
        pair.key.offset,
        path,
        `expected each key once, got "${key}" again (first on line ${line})`,
      );
    } else if (unsupported[key] !== undefined) {
      ctx.sink.add(pair.key.offset, path, unsupported[key]);
    } else if (!allowed.includes(key)) {
      const list = allowed.join(', ');
      ctx.sink.add(pair.key.offset, path, `expected one of ${list}, got unknown key "${key}"`);
    } else {
      out.set(key, pair);
    }
  }
  return out;
}

/** Context for the value of `key` inside a mapping read by readMap. */
export function fieldContext(ctx: ReadContext, map: Map<string, YPair>, key: string): ReadContext {
  const pair = map.get(key);
  return { sink: ctx.sink, path: joinPath(ctx.path, key), at: pair?.key.offset ?? ctx.at };
}

/** Reports a required key that is missing from the mapping at ctx.at. */
export function missing(ctx: ReadContext, key: string): undefined {
  ctx.sink.add(ctx.at, ctx.path, `expected key "${key}", got none`);
  return undefined;
}

/** The same context, reporting absent things at `node` (a mapping just read). */
export function within(ctx: ReadContext, node: YNode | null): ReadContext {
  return { ...ctx, at: node?.offset ?? ctx.at };
}

/** An integer within [min, max]. */
export function readInt(node: YNode | null, ctx: ReadContext, min: number, max: number) {
  const value = node?.kind === 'scalar' ? node.value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  ctx.sink.expected(node, ctx.at, ctx.path, `an integer from ${min} to ${max}`);
  return undefined;
}

/**
 * A string. A plain scalar that YAML read as a number or boolean counts as
 * the text it was written as (`value: 12345` in a TXT record is "12345").
 */
export function readString(node: YNode | null, ctx: ReadContext, what = 'a string') {
  if (node?.kind === 'scalar' && node.value !== null) {
    return typeof node.value === 'string' ? node.value : (node.plain ?? String(node.value));
  }
  ctx.sink.expected(node, ctx.at, ctx.path, what);
  return undefined;
}

/** An even-length hexadecimal string, returned lowercase. */
export function readHex(node: YNode | null, ctx: ReadContext): string | undefined {
  const text = readString(node, ctx, 'a hexadecimal string');
  if (text === undefined) return undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) return text.toLowerCase();
  ctx.sink.expected(node, ctx.at, ctx.path, 'an even number of hexadecimal digits');
  return undefined;
}

/** A duration string ("10s"), in milliseconds, through parseDuration. */
export function readDuration(node: YNode | null, ctx: ReadContext): number | undefined {
  const text =
    node?.kind === 'scalar' && node.value !== null ? (node.plain ?? String(node.value)) : undefined;
  if (text === undefined) return void ctx.sink.expected(node, ctx.at, ctx.path, 'a duration');
  try {
    return parseDuration(text);
  } catch (err) {
    ctx.sink.add(node?.offset ?? ctx.at, ctx.path, (err as Error).message);
    return undefined;
  }
}

/** A YAML boolean (`true` or `false`, unquoted). */
export function readBoolean(node: YNode | null, ctx: ReadContext): boolean | undefined {
  if (node?.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  ctx.sink.expected(node, ctx.at, ctx.path, 'true or false');
  return undefined;
}

/** A string that is one of `choices`, spelled exactly. */
export function readChoice<T extends string>(
  node: YNode | null,
  ctx: ReadContext,
  choices: readonly T[],
): T | undefined {
  const what = `one of ${choices.join(', ')}`;
  const text = readString(node, ctx, what);
  if (text === undefined || choices.includes(text as T)) return text as T | undefined;
  ctx.sink.expected(node, ctx.at, ctx.path, what);
  return undefined;
}

/** A non-empty string. */
export function readText(node: YNode | null, ctx: ReadContext, what = 'a non-empty string') {
  const text = readString(node, ctx, what);
  if (text === '') return void ctx.sink.expected(node, ctx.at, ctx.path, what);
  return text;
}

/**
 * An IP literal without prefix or zone id, in its canonical form
 * (RFC 5952 §4 for IPv6); `family` limits it to one family.
 */
export function readIpAddress(
  node: YNode | null,
  ctx: ReadContext,
  family?: 4 | 6,
): string | undefined {
  const what = family ? `an IPv${family} address` : 'an IPv4 or IPv6 address';
  const text = readString(node, ctx, what);
  if (text === undefined) return undefined;
  // ip-address accepts "/prefix" and "%zone"; a single host has neither.
  const plain = !text.includes('/') && !text.includes('%');
  if (plain && family !== 6 && Address4.isValid(text)) return new Address4(text).correctForm();
  if (plain && family !== 4 && Address6.isValid(text)) return new Address6(text).correctForm();
  ctx.sink.expected(node, ctx.at, ctx.path, what);
  return undefined;
}
