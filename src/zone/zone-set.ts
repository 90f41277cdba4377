/**
 * All zones vigil serves, compiled from one configuration. A reload builds
 * a new ZoneSet and swaps it in with one assignment, so no query ever sees
 * a mix of old and new data.
 */
import type { ZoneSource } from './types.js';
import { Zone } from './zone.js';

/** The zones of one configuration generation. */
export class ZoneSet {
  readonly #zones: Map<string, Zone>;
  /** Fewest labels any origin has; the suffix walk stops there. */
  readonly #shortestOrigin: number;

  /**
   * Compiles `sources`. A zone whose source object is the one `previous`
   * compiled (the loader reuses the object when the file is unchanged) keeps
   * its compiled Zone, so a reload costs nothing for zones it did not touch.
   */
  constructor(sources: readonly ZoneSource[], previous?: ZoneSet) {
    this.#zones = new Map();
    let shortest = Number.POSITIVE_INFINITY;
    for (const source of sources) {
      const kept = previous?.get(source.origin);
      this.#zones.set(source.origin, kept?.source === source ? kept : new Zone(source));
      shortest = Math.min(shortest, source.origin.length);
    }
    this.#shortestOrigin = shortest;
  }

  /** Every zone, in the order of the sources. */
  get zones(): IterableIterator<Zone> {
    return this.#zones.values();
  }

  /** The zone with this exact origin. */
  get(origin: string): Zone | undefined {
    return this.#zones.get(origin);
  }

  /**
   * The closest enclosing zone of `qname` (absolute, lowercase): the longest
   * origin that is a suffix of it on a label boundary (RFC 1034 §4.3.2 step 2).
   */
  find(qname: string): Zone | undefined {
    let name = qname;
    for (;;) {
      if (name.length < this.#shortestOrigin) return undefined;
      const zone = this.#zones.get(name);
      if (zone !== undefined) return zone;
      if (name === '.') return undefined;
      const dot = name.indexOf('.');
      name = dot === name.length - 1 ? '.' : name.slice(dot + 1);
    }
  }
}
