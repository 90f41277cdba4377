/**
 * Errors the health module raises. Probe failures are never errors: they are
 * ProbeResult values with `ok: false`. These cover misuse by the caller only.
 */
import { VigilError } from '../errors.js';

/** Two checks handed to the monitor share one name. */
export class DuplicateCheckError extends VigilError {
  /** The name that appears more than once. */
  readonly check: string;

  constructor(check: string) {
    super('ERR_HEALTH_DUPLICATE_CHECK', `health: check "${check}" is defined more than once`);
    this.name = 'DuplicateCheckError';
    this.check = check;
  }
}
