/** Range checks shared by the rdata encoders. */
import { WireEncodeError } from './errors.js';

/** Returns value when it is an integer that fits in `bits` unsigned bits; throws otherwise. */
export function checkUint(value: number, bits: 8 | 16 | 32, what: string): number {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new WireEncodeError(`${what} ${value} is outside 0..${max}`);
  }
  return value;
}

/** Decodes an even-length hexadecimal string; throws on any other character. */
export function hexBytes(hex: string, what: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new WireEncodeError(`${what} "${hex}" is not an even-length hexadecimal string`);
  }
  return Buffer.from(hex, 'hex');
}
