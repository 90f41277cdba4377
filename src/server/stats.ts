/**
 * Query counters, kept as plain numbers so counting costs nothing on the
 * hot path. The status API and metrics (src/http) read them.
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

/** Reload outcomes, counted for the metrics; a plain object like QueryStats. */
export class ReloadStats {
  ok = 0;
  failed = 0;
  /** When the configuration in use was loaded, epoch ms: the start, then each good reload. */
  lastSuccessMs: number;

  constructor(startedMs: number) {
    this.lastSuccessMs = startedMs;
  }

  /** Counts one reload that ended at `atMs`. */
  record(ok: boolean, atMs: number): void {
    if (!ok) {
      this.failed += 1;
      return;
    }
    this.ok += 1;
    this.lastSuccessMs = atMs;
  }
}
