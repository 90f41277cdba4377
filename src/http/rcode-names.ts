/**
 * Names of DNS response codes for status and metric labels, from the IANA
 * "DNS RCODEs" registry (RFC 6895 §2.3).
 */
import { RCODE } from '../wire/index.js';

const IANA_NAMES: Readonly<Record<number, string>> = {
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  11: 'DSOTYPENI',
  17: 'BADKEY',
  18: 'BADTIME',
  19: 'BADMODE',
  20: 'BADNAME',
  21: 'BADALG',
  22: 'BADTRUNC',
  23: 'BADCOOKIE',
};

/** The rcodes vigil sends, by value; these are listed even at zero. */
const SENT: ReadonlyMap<number, string> = new Map(
  Object.entries(RCODE).map(([name, value]) => [value, name]),
);

/** The label of `rcode`, and whether vigil ever sends it. */
export function rcodeName(rcode: number): { text: string; sent: boolean } {
  const sent = SENT.get(rcode);
  if (sent !== undefined) return { text: sent, sent: true };
  return { text: IANA_NAMES[rcode] ?? `RCODE${rcode}`, sent: false };
}
