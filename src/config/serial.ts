/**
 * SOA serial choice for zones whose file does not pin one.
 *
 * Rule: the serial is the zone file's mtime in whole seconds since the epoch
 * (it fits 32 bits until 2106), so it rises whenever the file is edited, also
 * across restarts, and stays put while the file is untouched. Within one
 * process a reload whose content changed but whose mtime serial would not be
 * greater than the previous serial (RFC 1982 §3.2 comparison) gets the
 * previous serial plus one (RFC 1982 §3.1 addition). Unchanged content (same
 * contentHash) keeps its ZoneSource and serial; the loader never calls this.
 *
 * Weakness: a file restored with an older mtime (a backup, `touch -d`, a
 * checkout) and then loaded by a fresh process goes back to an older serial,
 * and secondaries will not transfer it. Pin `serial:` in the SOA in that case.
 */

const SERIAL_MODULUS = 2 ** 32;
const HALF_RANGE = 2 ** 31;

/** True when serial `a` is greater than `b` in RFC 1982 §3.2 serial arithmetic. */
export function serialGreater(a: number, b: number): boolean {
  return (a < b && b - a > HALF_RANGE) || (a > b && a - b < HALF_RANGE);
}

/** Picks the serial of a changed zone: see the module comment for the rule. */
export function chooseSerial(mtimeSeconds: number, previousSerial?: number): number {
  const fromMtime = Math.floor(mtimeSeconds) % SERIAL_MODULUS;
  if (previousSerial === undefined || serialGreater(fromMtime, previousSerial)) return fromMtime;
  return (previousSerial + 1) % SERIAL_MODULUS;
}
