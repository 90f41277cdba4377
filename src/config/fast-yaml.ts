/**
 * A fast parser for the plain subset of YAML that zone files are written in:
 * block mappings and sequences, one-line flow collections, and one-line plain,
 * single- and double-quoted scalars. It reads one top-level entry of a zone
 * file and gives up (returns undefined) on anything else (anchors, tags,
 * block scalars, multi-line scalars, tabs, unusual escapes, numbers other than
 * decimal integers); the caller then parses that entry with the `yaml`
 * package. Within the subset it resolves scalars exactly as the YAML 1.2 core
 * schema does, so both parsers yield the same YNode tree.
 *
 * Why it exists: the `yaml` package lexes about 1.5 MB/s on our build machine,
 * too slow for a 100,000-name zone to load in the start-up budget.
 */
import type { YMap, YNode, YPair, YScalar, YSeq } from './yaml-tree.js';

/** Longest implicit key YAML allows (YAML 1.2 §7.4.1 limits them to 1024 characters). */
const MAX_KEY_CHARS = 1000;

/** Thrown internally to abandon the fast path for one entry. */
const GIVE_UP = Symbol('give up');

interface Line {
  readonly start: number;
  /** Offset of the first non-space character. */
  readonly indent: number;
  /** Offset just past the last content character (a trailing CR excluded). */
  readonly end: number;
}

/**
 * Parses the top-level entry `text[start, end)` (a `key: ...` pair starting
 * in column 0) and returns it, or undefined when it falls outside the subset.
 */
export function parseEntryFast(text: string, start: number, end: number): YPair | undefined {
  const lines: Line[] = [];
  for (let pos = start; pos < end;) {
    let stop = text.indexOf('\n', pos);
    if (stop === -1 || stop > end) stop = end;
    const next = stop + 1;
    if (text.charCodeAt(stop - 1) === 13) stop--;
    let indent = pos;
    while (indent < stop && text.charCodeAt(indent) === 32) indent++;
    const first = text.charCodeAt(indent);
    if (first === 9) return undefined;
    if (indent < stop && first !== 35) lines.push({ start: pos, indent, end: stop });
    pos = next;
  }
  try {
    const parser = new EntryParser(text, lines);
    const first = lines[0];
    if (!first || first.indent !== start) return undefined;
    const map = parser.blockMap(first.indent);
    return parser.done() && map.pairs.length === 1 ? map.pairs[0] : undefined;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class EntryParser {
  #li = 0;

  constructor(
    private readonly text: string,
    private readonly lines: readonly Line[],
  ) {}

  done(): boolean {
    return this.#li === this.lines.length;
  }

  /** A block mapping whose first key starts at `pos` on the current line. */
  blockMap(pos: number): YMap {
    const line = this.#line();
    const col = pos - line.start;
    const pairs: YPair[] = [];
    for (let at = pos; ;) {
      const current = this.#line();
      const key = this.#scalar(at, current.end, false);
      if (key.node.offset + MAX_KEY_CHARS < key.stop || this.text[key.stop] !== ':') throw GIVE_UP;
      let p = key.stop + 1;
      if (p < current.end && this.text.charCodeAt(p) !== 32) throw GIVE_UP;
      p = this.#skipSpaces(p, current.end);
      let value: YNode | null;
      if (p === current.end || this.text[p] === '#') {
        this.#li++;
        value = this.#blockAfter(col, true);
      } else {
        value = this.#inline(p, current.end);
        this.#li++;
      }
      pairs.push({ key: key.node, value });
      const next = this.lines[this.#li];
      if (!next || next.indent - next.start < col) break;
      if (next.indent - next.start > col) throw GIVE_UP;
      at = next.indent;
    }
    return { kind: 'map', pairs, offset: pos };
  }

  /** A block sequence whose dashes sit at column `col`, starting on the current line. */
  #blockSeq(col: number): YSeq {
    const items: (YNode | null)[] = [];
    const offset = this.#line().indent;
    for (;;) {
      const line = this.#line();
      let p = this.#skipSpaces(line.indent + 1, line.end);
      if (p === line.end || this.text[p] === '#') {
        this.#li++;
        items.push(this.#blockAfter(col, false));
      } else if (this.#isDash(p, line.end)) {
        throw GIVE_UP;
      } else if (this.#startsKey(p, line.end)) {
        items.push(this.blockMap(p));
      } else {
        items.push(this.#inline(p, line.end));
        this.#li++;
      }
      const next = this.lines[this.#li];
      if (!next) break;
      const nextCol = next.indent - next.start;
      if (nextCol > col) throw GIVE_UP;
      if (nextCol < col || !this.#isDash(next.indent, next.end)) break;
      p = next.indent;
    }
    return { kind: 'seq', items, offset };
  }

  /** The value that follows `key:` at the end of a line, on the lines below. */
  #blockAfter(parentCol: number, seqAtSameColumn: boolean): YNode | null {
    const next = this.lines[this.#li];
    if (!next) return null;
    const col = next.indent - next.start;
    const dash = this.#isDash(next.indent, next.end);
    if (col > parentCol) return dash ? this.#blockSeq(col) : this.blockMap(next.indent);
    if (col === parentCol && seqAtSameColumn && dash) return this.#blockSeq(col);
    return null;
  }

  /** A scalar or one-line flow collection that must end the line. */
  #inline(pos: number, end: number): YNode {
    const c = this.text[pos];
    const node = c === '{' || c === '[' ? this.#flow(pos, end) : this.#scalar(pos, end, false);
    const p = this.#skipSpaces(node.stop, end);
    if (p !== end && !(this.text[p] === '#' && p > node.stop)) throw GIVE_UP;
    return node.node;
  }

  #flow(pos: number, end: number): { node: YNode; stop: number } {
    const isMap = this.text[pos] === '{';
    const close = isMap ? '}' : ']';
    const pairs: YPair[] = [];
    const items: YNode[] = [];
    let p = this.#skipSpaces(pos + 1, end);
    while (this.text[p] !== close) {
      const c = this.text[p];
      const item = c === '{' || c === '[' ? this.#flow(p, end) : this.#scalar(p, end, true);
      p = this.#skipSpaces(item.stop, end);
      if (isMap) {
        if (item.node.kind !== 'scalar' || this.text[p] !== ':') throw GIVE_UP;
        if (this.text.charCodeAt(p + 1) !== 32) throw GIVE_UP;
        p = this.#skipSpaces(p + 1, end);
        const v = this.text[p];
        if (v === ',' || v === '}' || v === undefined) throw GIVE_UP;
        const value = v === '{' || v === '[' ? this.#flow(p, end) : this.#scalar(p, end, true);
        pairs.push({ key: item.node, value: value.node });
        p = this.#skipSpaces(value.stop, end);
      } else {
        if (this.text[p] === ':') throw GIVE_UP;
        items.push(item.node);
      }
      if (this.text[p] === ',') p = this.#skipSpaces(p + 1, end);
      else if (this.text[p] !== close) throw GIVE_UP;
    }
    const node: YNode = isMap
      ? { kind: 'map', pairs, offset: pos }
      : { kind: 'seq', items, offset: pos };
    return { node, stop: p + 1 };
  }

  /** A one-line scalar starting at `pos`; `stop` is just past it (trailing spaces excluded). */
  #scalar(pos: number, end: number, flow: boolean): { node: YScalar; stop: number } {
    const c = this.text[pos];
    if (c === '"' || c === "'") return this.#quoted(pos, end, c);
    if (c === undefined || pos >= end || '-?:,[]{}#&*!|>%@`'.includes(c)) throw GIVE_UP;
    let p = pos;
    for (; p < end; p++) {
      const ch = this.text[p];
      if (ch === ':') {
        const after = this.text[p + 1];
        const flowEnd = flow && (after === ',' || after === '}' || after === ']');
        if (p + 1 >= end || after === ' ' || flowEnd) break;
      } else if (ch === '#' && this.text[p - 1] === ' ') {
        break;
      } else if (flow && (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}')) {
        break;
      }
    }
    let stop = p;
    while (stop > pos && this.text.charCodeAt(stop - 1) === 32) stop--;
    const plain = this.text.slice(pos, stop);
    return { node: { kind: 'scalar', value: resolvePlain(plain), plain, offset: pos }, stop };
  }

  #quoted(pos: number, end: number, quote: string): { node: YScalar; stop: number } {
    let value = '';
    let from = pos + 1;
    for (let p = from; p < end; p++) {
      const ch = this.text[p];
      if (quote === '"' && ch === '\\') {
        const next = this.text[p + 1];
        if (next !== '\\' && next !== '"') throw GIVE_UP;
        value += this.text.slice(from, p) + next;
        from = ++p + 1;
      } else if (ch === quote) {
        if (quote === "'" && this.text[p + 1] === "'") {
          value += this.text.slice(from, p + 1);
          from = ++p + 1;
          continue;
        }
        value += this.text.slice(from, p);
        return { node: { kind: 'scalar', value, plain: undefined, offset: pos }, stop: p + 1 };
      }
    }
    throw GIVE_UP;
  }

  #line(): Line {
    const line = this.lines[this.#li];
    if (!line) throw GIVE_UP;
    return line;
  }

  #skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === 32) p++;
    return p;
  }

  #isDash(p: number, end: number): boolean {
    return this.text[p] === '-' && (p + 1 === end || this.text[p + 1] === ' ');
  }

  /** True when a block-context key followed by `:` starts at `pos`. */
  #startsKey(pos: number, end: number): boolean {
    const c = this.text[pos];
    if (c === '{' || c === '[') return false;
    const key = this.#scalar(pos, end, false);
    const after = this.text[key.stop + 1];
    return this.text[key.stop] === ':' && (key.stop + 1 === end || after === ' ');
  }
}

const FLOAT_OR_SPECIAL = new RegExp(
  '^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?' +
    '|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|0[xo].*)$',
);

/** Resolves a plain scalar by the YAML 1.2 core schema (§10.3.2), or gives up. */
function resolvePlain(text: string): YScalar['value'] {
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = text.charCodeAt(0);
  const numeric = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
  if (!numeric) return text;
  if (/^[-+]?[0-9]{1,15}$/.test(text)) return Number(text);
  if (FLOAT_OR_SPECIAL.test(text) || /^[-+]?[0-9]+$/.test(text)) throw GIVE_UP;
  return text;
}
