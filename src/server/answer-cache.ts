/**
 * Encoded answers per question, so a repeated question costs a hash probe
 * and one copy. A cache belongs to one generation of zones: a reload builds
 * a new responder with an empty cache, which is how stale entries go away.
 *
 * Layout, chosen by measurement on a 100,000-name zone (docs/performance.md):
 * answers live in 1 MiB slabs that the cache owns, each behind an 8-octet
 * header, and an open-addressing table of (hash, reference) pairs in one
 * Int32Array finds them. A hit touches two places in memory, the table slot
 * and the slab, and allocates nothing; the Map of strings it replaced
 * touched about six and ran at 60% of the rate. The question stored in the
 * answer itself confirms a hash match.
 */
import { hashQuestion } from '../wire/index.js';

/** Questions remembered at most; past this the cache starts over empty. */
export const DEFAULT_CACHE_ENTRIES = 200_000;
const SLAB_BITS = 20;
const SLAB_BYTES = 1 << SLAB_BITS;
/** Per entry in a slab: full length, reduced length, question end (u16 each), rcode, EDE. */
const HEADER_BYTES = 8;
/** Slabs a reference can name: 31 bits less the offset's 20, less one for 0 = empty. */
const MAX_SLABS = (1 << 11) - 1;
/** The reference of a dropped entry: not empty, so probing goes on past it, and never found. */
const DROPPED = -1;

/** One question's answer, as the encoder hands it over. */
export interface CachedAnswer {
  /** The whole answer, with ID 0, RD and CD clear, no OPT, question in lowercase. */
  readonly full: Buffer;
  /** The answer without optional additional records; undefined when there are none. */
  readonly reduced: Buffer | undefined;
  /** Length of header plus question: a truncated reply is this prefix, TC set. */
  readonly questionEnd: number;
  readonly rcode: number;
  /** Extended DNS Error index (wire/opt.ts EDE) the reply's OPT carries, 0 for none. */
  readonly ede: number;
}

/** A bounded store from question to encoded answer. */
export class AnswerCache {
  readonly #maxEntries: number;
  /** Pairs of (hash, reference); a reference is slab << 20 | offset, plus 1; 0 is empty. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  #slabs: Buffer[] = [];
  #slabUsed = SLAB_BYTES;
  #entries = 0;
  /** Table slots of the answers read from each failover or ALIAS record, by record id. */
  #dependents = new Map<number, number[]>();

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES) {
    this.#maxEntries = maxEntries;
    let size = 1024;
    while (size < maxEntries * 2) size *= 2;
    this.#slots = new Int32Array(size * 2);
    this.#mask = size - 1;
  }

  /**
   * The reference of the answer to the question in msg[12 .. nameEnd + 2)
   * (name, matched without regard to case, and qtype), or 0.
   */
  find(hash: number, msg: Buffer, nameEnd: number): number {
    const slots = this.#slots;
    for (let i = hash & this.#mask; ; i = (i + 1) & this.#mask) {
      const ref = slots[2 * i + 1]!;
      if (ref === 0) return 0;
      if (slots[2 * i] === hash && ref > 0 && this.#sameQuestion(ref, msg, nameEnd)) return ref;
    }
  }

  /**
   * Stores `answer` and returns its reference. `dependsOn` names the
   * failover and ALIAS records it was read from; drop() forgets it when one
   * of them changes.
   */
  add(answer: CachedAnswer, dependsOn: readonly number[] = []): number {
    if (this.#entries >= this.#maxEntries || this.#slabs.length > MAX_SLABS) this.#clear();
    const reduced = answer.reduced;
    const bytes = HEADER_BYTES + answer.full.length + (reduced?.length ?? 0);
    const offset = this.#reserve(bytes);
    const slab = this.#slabs[this.#slabs.length - 1]!;
    slab.writeUInt16BE(answer.full.length, offset);
    slab.writeUInt16BE(reduced?.length ?? 0, offset + 2);
    slab.writeUInt16BE(answer.questionEnd, offset + 4);
    slab[offset + 6] = answer.rcode;
    slab[offset + 7] = answer.ede;
    answer.full.copy(slab, offset + HEADER_BYTES);
    reduced?.copy(slab, offset + HEADER_BYTES + answer.full.length);

    const ref = (((this.#slabs.length - 1) << SLAB_BITS) | offset) + 1;
    const hash = hashQuestion(answer.full, 12, answer.questionEnd - 4);
    const slots = this.#slots;
    let i = hash & this.#mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & this.#mask;
    slots[2 * i] = hash;
    slots[2 * i + 1] = ref;
    this.#entries++;
    for (const id of dependsOn) {
      const list = this.#dependents.get(id);
      if (list === undefined) this.#dependents.set(id, [i]);
      else list.push(i);
    }
    return ref;
  }

  /**
   * Forgets every answer read from the records `ids`, and nothing else. The
   * slots stay taken (as DROPPED) so other entries' probe chains hold; the
   * space comes back when the cache starts over.
   */
  drop(ids: Iterable<number>): number {
    let dropped = 0;
    for (const id of ids) {
      const list = this.#dependents.get(id);
      if (list === undefined) continue;
      for (const i of list) {
        if (this.#slots[2 * i + 1]! > 0) dropped++;
        this.#slots[2 * i + 1] = DROPPED;
      }
      this.#dependents.delete(id);
    }
    return dropped;
  }

  /** The slab holding the answer `ref` names. */
  slab(ref: number): Buffer {
    return this.#slabs[(ref - 1) >>> SLAB_BITS]!;
  }

  /** Where the answer `ref` names starts in its slab; the reduced one follows it. */
  start(ref: number): number {
    return ((ref - 1) & (SLAB_BYTES - 1)) + HEADER_BYTES;
  }

  fullBytes(ref: number): number {
    return this.slab(ref).readUInt16BE(this.start(ref) - HEADER_BYTES);
  }

  /** Length of the reduced answer, 0 when there is none. */
  reducedBytes(ref: number): number {
    return this.slab(ref).readUInt16BE(this.start(ref) - HEADER_BYTES + 2);
  }

  questionEnd(ref: number): number {
    return this.slab(ref).readUInt16BE(this.start(ref) - HEADER_BYTES + 4);
  }

  rcode(ref: number): number {
    return this.slab(ref)[this.start(ref) - HEADER_BYTES + 6]!;
  }

  /** The EDE index of the answer, 0 for none. */
  ede(ref: number): number {
    return this.slab(ref)[this.start(ref) - HEADER_BYTES + 7]!;
  }

  /** Questions held now. */
  get size(): number {
    return this.#entries;
  }

  /**
   * True when the answer's stored question is msg's: the name octets equal
   * once msg's letters are lowercased (length octets never fall in A-Z), and
   * the qtype octets equal exactly.
   */
  #sameQuestion(ref: number, msg: Buffer, nameEnd: number): boolean {
    const slab = this.slab(ref);
    const base = this.start(ref);
    if (slab.readUInt16BE(base - HEADER_BYTES + 4) !== nameEnd + 4) return false;
    for (let i = 12; i < nameEnd; i++) {
      const c = msg[i]!;
      if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== slab[base + i]) return false;
    }
    return slab[base + nameEnd] === msg[nameEnd] && slab[base + nameEnd + 1] === msg[nameEnd + 1];
  }

  /** Space for `bytes` in the current slab, starting a new one when full. */
  #reserve(bytes: number): number {
    if (this.#slabUsed + bytes > SLAB_BYTES) {
      this.#slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
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
    this.#slots.fill(0);
    this.#slabs = [];
    this.#slabUsed = SLAB_BYTES;
    this.#entries = 0;
    this.#dependents.clear();
  }
}
