/**
 * The one error the wire layer raises. Parsing never throws (malformed input
 * is a value, see parse-query.ts); encoding throws only when the record model
 * hands it data the loader should have rejected.
 */
import { VigilError } from '../errors.js';

/** Data that has no wire form: a bad address, an over-long label, a bad hex digest. */
export class WireEncodeError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_WIRE_ENCODE', `wire: ${message}`, options);
    this.name = 'WireEncodeError';
  }
}
