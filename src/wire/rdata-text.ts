/** Rdata made of character strings: TXT, SPF, CAA and NAPTR. */
import type { RDataByType } from '../zone/types.js';
import { checkUint } from './checks.js';
import { WireEncodeError } from './errors.js';
import type { MessageWriter } from './writer.js';

/** Writes one <character-string> (RFC 1035 §3.3): a length octet, then up to 255 octets. */
export function writeCharacterString(w: MessageWriter, text: string, what: string): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 255) {
    throw new WireEncodeError(`${what} is ${bytes.length} octets in UTF-8 (max 255)`);
  }
  w.u8(bytes.length).bytes(bytes);
}

/**
 * TXT (RFC 1035 §3.3.14) and SPF (type 99, RFC 4408 §3.1.1, same format):
 * one or more character strings, already split by the loader. An empty list is
 * written as one empty string, since the rdata may not be empty.
 */
export function encodeTXT(w: MessageWriter, data: RDataByType['TXT']): void {
  if (data.strings.length === 0) {
    w.u8(0);
    return;
  }
  for (const s of data.strings) writeCharacterString(w, s, 'TXT string');
}

/** CAA (RFC 8659 §4.1): flags, tag length, tag, then the value to the end of the rdata. */
export function encodeCAA(w: MessageWriter, data: RDataByType['CAA']): void {
  // RFC 8659 §4.1.1: the tag is 1 to 15 ASCII letters and digits.
  if (!/^[A-Za-z0-9]{1,15}$/.test(data.tag)) {
    throw new WireEncodeError(`CAA tag "${data.tag}" is not 1-15 letters and digits`);
  }
  w.u8(checkUint(data.flags, 8, 'CAA flags'));
  w.u8(data.tag.length).bytes(Buffer.from(data.tag, 'latin1'));
  w.bytes(Buffer.from(data.value, 'utf8'));
}

/**
 * NAPTR (RFC 3403 §4.1): order, preference, three character strings, then
 * the replacement name written whole (RFC 3403 §4.1, RFC 3597 §4).
 */
export function encodeNAPTR(w: MessageWriter, data: RDataByType['NAPTR']): void {
  w.u16(checkUint(data.order, 16, 'NAPTR order'));
  w.u16(checkUint(data.preference, 16, 'NAPTR preference'));
  writeCharacterString(w, data.flags, 'NAPTR flags');
  writeCharacterString(w, data.service, 'NAPTR service');
  writeCharacterString(w, data.regexp, 'NAPTR regexp');
  w.name(data.replacement, false);
}
