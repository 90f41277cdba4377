/**
 * Query counters, kept as plain numbers so counting costs nothing on the
 * hot path. The status API and metrics of later issues read them.
 */

/** Counters by transport and rcode, plus malformed messages. */
export class QueryStats {
  /** Messages that could not be parsed: dropped or answered FORMERR. */
  malformed = 0;
  readonly udp: number[] = new Array<number>(24).fill(0);
  readonly tcp: number[] = new Array<number>(24).fill(0);

  /** Counts one reply of `rcode` sent over `transport`. */
  count(transport: 'udp' | 'tcp', rcode: number): void {
    const row = transport === 'udp' ? this.udp : this.tcp;
    row[rcode < row.length ? rcode : row.length - 1]! += 1;
  }

  /** Total replies sent. */
  get total(): number {
    let sum = 0;
    for (const n of this.udp) sum += n;
    for (const n of this.tcp) sum += n;
    return sum;
  }
}
