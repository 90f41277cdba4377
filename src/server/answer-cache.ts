/**
 * Encoded answers per question, so a repeated question costs one Map lookup
 * and one copy. A cache belongs to one generation of zones: a reload builds
 * a new responder with an empty cache, which is how stale entries go away.
 *
 * Answers live in large slabs that the cache owns, and the Map holds only a
 * number per question. Keeping each answer in its own Buffer cost about
 * 700 octets of memory per entry for about 100 of data: every small Buffer
 * pins the 8 KiB pool slab it was cut from, and shares it with short-lived
 * replies. Numbers in the Map also spare the query path one pointer chase.
 */

/** Questions remembered at most; past this the cache starts over empty. */
export const DEFAULT_CACHE_ENTRIES = 200_000;
/** Size of one slab of encoded answers. */
const SLAB_BYTES = 1 << 20;
/** Fields per entry in the index: slab, offset, full length, reduced length, question end, rcode. */
const FIELDS = 6;

/** One question's answer as the responder copies it. */
export interface CachedAnswer {
  /** The whole answer, with ID 0, RD and CD clear, no OPT. */
  readonly full: Buffer;
  /** The answer without optional additional records; undefined when there are none. */
  readonly reduced: Buffer | undefined;
  /** Length of header plus question: a truncated reply is this prefix, TC set. */
  readonly questionEnd: number;
  readonly rcode: number;
}

/** A bounded store from (lowercase qname, qtype) to encoded answer. */
export class AnswerCache {
  /** qname → [qtype, entry, qtype, entry, ...]; most names see one or two types. */
  readonly #byName = new Map<string, number[]>();
  readonly #maxEntries: number;
  #index: Int32Array;
  #slabs: Buffer[] = [];
  #slabUsed = SLAB_BYTES;
  #entries = 0;

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES) {
    this.#maxEntries = maxEntries;
    this.#index = new Int32Array(FIELDS * 1024);
  }

  /** The entry number for a question, or -1. */
  find(qname: string, qtype: number): number {
    const types = this.#byName.get(qname);
    if (types === undefined) return -1;
    for (let i = 0; i < types.length; i += 2) if (types[i] === qtype) return types[i + 1]!;
    return -1;
  }

  /** Stores `answer` and returns its entry number. */
  add(qname: string, qtype: number, answer: CachedAnswer): number {
    if (this.#entries >= this.#maxEntries) this.#clear();
    const reducedBytes = answer.reduced?.length ?? 0;
    const offset = this.#reserve(answer.full.length + reducedBytes);
    const slab = this.#slabs.length - 1;
    const bytes = this.#slabs[slab]!;
    answer.full.copy(bytes, offset);
    answer.reduced?.copy(bytes, offset + answer.full.length);

    const entry = this.#entries++;
    if ((entry + 1) * FIELDS > this.#index.length) {
      const grown = new Int32Array(this.#index.length * 2);
      grown.set(this.#index);
      this.#index = grown;
    }
    const at = entry * FIELDS;
    this.#index.set(
      [slab, offset, answer.full.length, reducedBytes, answer.questionEnd, answer.rcode],
      at,
    );
    const types = this.#byName.get(qname);
    if (types === undefined) this.#byName.set(qname, [qtype, entry]);
    else types.push(qtype, entry);
    return entry;
  }

  /** The slab holding `entry`. */
  slab(entry: number): Buffer {
    return this.#slabs[this.#index[entry * FIELDS]!]!;
  }

  /** Offset of the full answer in its slab; the reduced one follows it. */
  offset(entry: number): number {
    return this.#index[entry * FIELDS + 1]!;
  }

  fullBytes(entry: number): number {
    return this.#index[entry * FIELDS + 2]!;
  }

  /** Length of the reduced answer, 0 when there is none. */
  reducedBytes(entry: number): number {
    return this.#index[entry * FIELDS + 3]!;
  }

  questionEnd(entry: number): number {
    return this.#index[entry * FIELDS + 4]!;
  }

  rcode(entry: number): number {
    return this.#index[entry * FIELDS + 5]!;
  }

  /** Questions held now. */
  get size(): number {
    return this.#entries;
  }

  /** Space for `bytes` in the current slab, starting a new one when full. */
  #reserve(bytes: number): number {
    if (this.#slabUsed + bytes > SLAB_BYTES) {
      this.#slabs.push(Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, bytes)));
      this.#slabUsed = 0;
    }
    const offset = this.#slabUsed;
    this.#slabUsed += bytes;
    return offset;
  }

  /**
   * Starts over. Only a flood of distinct questions (random names) fills the
   * cache; dropping it all keeps memory bounded without per-entry bookkeeping.
   */
  #clear(): void {
    this.#byName.clear();
    this.#slabs = [];
    this.#slabUsed = SLAB_BYTES;
    this.#entries = 0;
  }
}
