/**
 * TXT and SPF values as octoDNS writes them (RFC 1035 §3.3.14).
 *
 * octoDNS stores a semicolon as `\;` (an unescaped one is an error, as in
 * octoDNS) and a backslash as `\\`; any `\X` stands for X. A value written
 * in chunked form, `"part1" "part2"`, is first joined the way octoDNS joins
 * it (outer quotes dropped, each `" "` removed). The unescaped text is then
 * cut into character strings of at most 255 octets of UTF-8, never inside a
 * multi-byte character.
 */
import type { RDataReader } from './rdata.js';
import { readString } from './value-read.js';

/** Longest character string on the wire (RFC 1035 §3.3). */
export const MAX_STRING_OCTETS = 255;

/** Reads one TXT/SPF value into its character strings. */
export const TXT: RDataReader<'TXT'> = {
  many: true,
  read(node, ctx) {
    const raw = readString(node, ctx, 'a string');
    if (raw === undefined) return undefined;
    const joined =
      raw.length > 1 && raw.startsWith('"') && raw.endsWith('"')
        ? raw.slice(1, -1).replaceAll('" "', '')
        : raw;
    const text = unescapeTxt(joined);
    if (typeof text === 'string') return { strings: splitOctets(text, MAX_STRING_OCTETS) };
    ctx.sink.add(node?.offset ?? ctx.at, ctx.path, text.problem);
    return undefined;
  },
};

/** Removes octoDNS escapes, or says why the text is not valid. */
export function unescapeTxt(text: string): string | { problem: string } {
  if (!text.includes('\\') && !text.includes(';')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ';') {
      const fixed = text.replace(/(?<!\\);/g, '\\;');
      return {
        problem:
          `expected every ";" escaped as "\\;", got ${JSON.stringify(text)} ` +
          `(write ${JSON.stringify(fixed)})`,
      };
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === undefined) {
      return { problem: `expected a character after "\\", got the end of ${JSON.stringify(text)}` };
    }
    if (next >= '0' && next <= '9') {
      return {
        problem:
          `expected "\\;" or "\\\\", got a decimal escape "\\${text.slice(i, i + 3)}" ` +
          '(not supported by vigil; write the character itself)',
      };
    }
    out += next;
  }
  return out;
}

/** Splits text into pieces of at most `max` UTF-8 octets on character boundaries. */
export function splitOctets(text: string, max: number): string[] {
  if (text.length * 3 <= max) return [text];
  const pieces: string[] = [];
  let start = 0;
  let octets = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const units = cp >= 0x10000 ? 2 : 1;
    if (octets + width > max) {
      pieces.push(text.slice(start, i));
      start = i;
      octets = 0;
    }
    octets += width;
    i += units;
  }
  pieces.push(text.slice(start));
  return pieces;
}
