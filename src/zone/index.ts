/**
 * Zones: the record model, compiled zones and the authoritative lookup.
 */
export * from './types.js';
export { NodeIndex, Zone, type ZoneNode } from './zone.js';
export { ZoneSet } from './zone-set.js';
export { lookup, inZone, Rcode, type LookupResult, type SectionEntry } from './lookup.js';
