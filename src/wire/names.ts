/**
 * Domain names between their text form and their wire form.
 *
 * Text form is RFC 1035 §5.1 presentation format, absolute, with a trailing
 * dot ('www.example.com.', root is '.'). A backslash escapes the next
 * character (`\.`) or introduces three decimal digits (`\046`). The canonical
 * form, which parseQuery produces and lookups key on, is lowercase and writes
 * every octet outside 0x21..0x7e, and '.' and '\' inside a label, as `\DDD`.
 */
import { MAX_LABEL_OCTETS, MAX_NAME_OCTETS } from './constants.js';
import { WireEncodeError } from './errors.js';

/** A name encoded once and reused by every message that holds it. */
export interface EncodedName {
  /** Uncompressed wire form, ending with the root label. */
  readonly wire: Buffer;
  /** Offset in `wire` where each non-root label starts, outermost first. */
  readonly labelStarts: readonly number[];
  /** Compression key of the suffix starting at each label (see suffixKey). */
  readonly suffixKeys: readonly string[];
}

/** Encoded names are cached; past this many entries the cache starts over. */
const DEFAULT_NAME_CACHE_ENTRIES = 50_000;

const nameCache = new Map<string, EncodedName>();

const BACKSLASH = 0x5c;
const DOT = 0x2e;

/**
 * Encodes a presentation-format name, caching the result. Throws
 * WireEncodeError for a relative name, a bad escape, a label over 63 octets
 * or a name over 255 octets (RFC 1035 §2.3.4).
 */
export function encodeName(text: string): EncodedName {
  const cached = nameCache.get(text);
  if (cached !== undefined) return cached;

  const encoded = buildName(text);
  if (nameCache.size >= DEFAULT_NAME_CACHE_ENTRIES) nameCache.clear();
  nameCache.set(text, encoded);
  return encoded;
}

function buildName(text: string): EncodedName {
  if (!text.endsWith('.')) throw new WireEncodeError(`name "${text}" is not absolute`);
  if (text === '.') return { wire: Buffer.from([0]), labelStarts: [], suffixKeys: [] };

  const out: number[] = [];
  const labelStarts: number[] = [];
  let i = 0;
  while (i < text.length) {
    labelStarts.push(out.length);
    const lengthAt = out.push(0) - 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === DOT) break;
      if (c === BACKSLASH) {
        i = readEscape(text, i, out);
        continue;
      }
      if (c < 0x21 || c > 0x7e) {
        throw new WireEncodeError(`name "${text}" holds an unescaped character at ${i}`);
      }
      out.push(c);
      i++;
    }
    const labelLength = out.length - lengthAt - 1;
    if (labelLength === 0) throw new WireEncodeError(`name "${text}" has an empty label`);
    if (labelLength > MAX_LABEL_OCTETS) {
      throw new WireEncodeError(`name "${text}" has a label of ${labelLength} octets (max 63)`);
    }
    out[lengthAt] = labelLength;
    i++; // past the dot
  }
  out.push(0);
  if (out.length > MAX_NAME_OCTETS) {
    throw new WireEncodeError(`name "${text}" is ${out.length} octets on the wire (max 255)`);
  }

  const wire = Buffer.from(out);
  const suffixKeys = labelStarts.map((start) => suffixKey(wire, start, wire.length));
  return { wire, labelStarts, suffixKeys };
}

/** Reads one escape at text[i] (a backslash) into out; returns the index after it. */
function readEscape(text: string, i: number, out: number[]): number {
  const d = text.slice(i + 1, i + 4);
  if (/^[0-9]{3}$/.test(d)) {
    const value = Number(d);
    if (value > 255) throw new WireEncodeError(`name "${text}" has escape \\${d} above 255`);
    out.push(value);
    return i + 4;
  }
  const c = text.charCodeAt(i + 1);
  if (Number.isNaN(c) || c > 0x7e || c < 0x20 || /[0-9]/.test(text.charAt(i + 1))) {
    throw new WireEncodeError(`name "${text}" has a bad escape at ${i}`);
  }
  out.push(c);
  return i + 2;
}

/**
 * Compression key of the uncompressed wire name in buf[start..end): its
 * octets with ASCII letters folded to lowercase (RFC 4343 §3), as a latin1
 * string. Length octets keep the key unambiguous.
 */
export function suffixKey(buf: Buffer, start: number, end: number): string {
  let key = '';
  for (let i = start; i < end; i++) {
    const c = buf[i] as number;
    key += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  }
  return key;
}

/**
 * Renders an uncompressed wire name in canonical text form. The name must
 * be well formed; parseQuery has its own allocation-free reader.
 */
export function nameFromWire(wire: Buffer): string {
  let text = '';
  let pos = 0;
  while (pos < wire.length && wire[pos] !== 0) {
    const end = pos + 1 + (wire[pos] as number);
    for (let i = pos + 1; i < end; i++) text += canonicalChar(wire[i] as number);
    text += '.';
    pos = end;
  }
  return text === '' ? '.' : text;
}

/** One octet of a label in canonical text form. */
function canonicalChar(c: number): string {
  if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c | 0x20);
  if (c < 0x21 || c > 0x7e || c === DOT || c === BACKSLASH) {
    return '\\' + String(c).padStart(3, '0');
  }
  return String.fromCharCode(c);
}

/**
 * The canonical form of a presentation-format name: the key parseQuery
 * produces for the same octets. 'WWW.Example.COM.' and 'www.example.com.'
 * give the same key; 'a\.b.example.' gives 'a\046b.example.'.
 */
export function canonicalName(text: string): string {
  return nameFromWire(encodeName(text).wire);
}
