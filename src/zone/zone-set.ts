/**
 * All zones vigil serves, compiled from one configuration. A reload builds
 * a new ZoneSet and swaps it in with one assignment, so no query ever sees
 * a mix of old and new data.
 */
import type { ZoneSource } from './types.js';
import { NodeIndex, Zone } from './zone.js';

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
  constructor(sources: readonly ZoneSource[], previous?: ZoneSet, compiled?: Map<string, Zone>) {
    this.#zones = new Map();
    let shortest = Number.POSITIVE_INFINITY;
    for (const source of sources) {
      const kept = previous?.get(source.origin);
      const zone =
        kept?.source === source ? kept : (compiled?.get(source.origin) ?? new Zone(source));
      this.#zones.set(source.origin, zone);
      shortest = Math.min(shortest, source.origin.length);
    }
    this.#shortestOrigin = shortest;
  }

  /**
   * As the constructor, but compiles changed zones in slices that yield to
   * the event loop, so that queries keep being answered during a reload.
   */
  static async build(sources: readonly ZoneSource[], previous?: ZoneSet): Promise<ZoneSet> {
    const compiled = new Map<string, Zone>();
    for (const source of sources) {
      if (previous?.get(source.origin)?.source === source) continue;
      compiled.set(source.origin, new Zone(source, await NodeIndex.inSlices(source)));
    }
    return new ZoneSet(sources, previous, compiled);
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
