/**
 * Encoded answers per question, so a repeated question costs one Map lookup
 * and one copy. A cache belongs to one ZoneSet: a reload builds a new
 * responder with an empty cache, which is how stale entries go away.
 */

/** Questions remembered at most; the oldest is dropped past this. */
export const DEFAULT_CACHE_ENTRIES = 200_000;

/** One question's answer, encoded with ID 0, RD and CD clear, and no OPT. */
export interface CachedAnswer {
  /** The whole answer. */
  readonly full: Buffer;
  /** The answer without optional additional records; undefined when there are none. */
  readonly reduced: Buffer | undefined;
  /** Length of header plus question: a truncated reply is this prefix, TC set. */
  readonly questionEnd: number;
  readonly rcode: number;
}

/** A bounded map from question key to encoded answer, oldest dropped first. */
export class AnswerCache {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #maxEntries: number;

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /**
   * The cache key of a question: type code, a space, and the lowercase
   * name. A space cannot occur unescaped in a parsed name, so keys are unique.
   */
  static key(qname: string, qtype: number): string {
    return `${qtype} ${qname}`;
  }

  get(key: string): CachedAnswer | undefined {
    return this.#entries.get(key);
  }

  set(key: string, answer: CachedAnswer): void {
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, answer);
  }

  get size(): number {
    return this.#entries.size;
  }
}
