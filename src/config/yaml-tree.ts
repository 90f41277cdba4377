/**
 * A small YAML node model that both zone-file parsers (the fast subset parser
 * and the `yaml` package) produce, so that validation runs on one shape and
 * the two paths give identical results. Offsets are into the whole file text.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** A scalar: its resolved value and, for plain scalars, the text as written. */
export interface YScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** Source text of a plain (unquoted) scalar; undefined when quoted. */
  readonly plain: string | undefined;
  readonly offset: number;
}

/** One key/value pair of a mapping; `value` is null when nothing follows the colon. */
export interface YPair {
  readonly key: YScalar;
  readonly value: YNode | null;
}

/** A block or flow mapping. */
export interface YMap {
  readonly kind: 'map';
  readonly pairs: readonly YPair[];
  readonly offset: number;
}

/** A block or flow sequence; a null item is an empty entry (`-` alone). */
export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly (YNode | null)[];
  readonly offset: number;
}

/** Any node. */
export type YNode = YScalar | YMap | YSeq;

/** Thrown while converting when an alias cannot be resolved inside its document. */
export class UnresolvedAlias extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
  ) {
    super(`unresolved alias *${source}`);
  }
}

/** Thrown when a key is not a scalar (a complex `? [a, b]` key). */
export class ComplexKey extends Error {
  constructor(readonly offset: number) {
    super('complex mapping key');
  }
}

/** Maps a text offset to a 1-based line and column. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  /** Line and column (both from 1) of a text offset. */
  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.#starts[lo] ?? 0) + 1 };
  }
}

/**
 * Converts a node of a `yaml` Document to the YNode model. `base` is the
 * offset of the document's text inside the whole file. Aliases are resolved
 * in `doc`; an alias without an anchor throws UnresolvedAlias.
 */
export function fromYaml(node: unknown, doc: Document, base: number): YNode | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!target) throw new UnresolvedAlias(node.source, base + (node.range?.[0] ?? 0));
    return fromYaml(target, doc, base);
  }
  const offset = base + ((node as Node).range?.[0] ?? 0);
  if (isMap(node)) {
    const pairs = node.items.map((pair): YPair => {
      const key = fromYaml(pair.key, doc, base);
      if (!key || key.kind !== 'scalar') throw new ComplexKey(key?.offset ?? offset);
      return { key, value: fromYaml(pair.value, doc, base) };
    });
    return { kind: 'map', pairs, offset };
  }
  if (isSeq(node)) {
    return { kind: 'seq', items: node.items.map((item) => fromYaml(item, doc, base)), offset };
  }
  if (isScalar(node)) {
    const plain = node.type === 'PLAIN' ? (node.source ?? String(node.value)) : undefined;
    // An empty plain scalar is what `key:` with nothing after it parses to.
    if (plain === '') return null;
    return { kind: 'scalar', value: toScalarValue(node.value), plain, offset };
  }
  return null;
}

function toScalarValue(value: unknown): YScalar['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  // bigint (intAsBigInt is off, so not expected) and binary tags end up as text.
  return String(value);
}
