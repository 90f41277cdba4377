/**
 * What a reload changed, for its one log line: zones added, removed and
 * changed (with old and new serial), and record sets added and removed.
 */
import type { RecordSet, ZoneSource } from '../zone/index.js';

/** One changed zone in a reload summary. */
export interface ZoneChange {
  zone: string;
  oldSerial: number;
  newSerial: number;
  rrsetsAdded: number;
  rrsetsRemoved: number;
}

/** The reload summary logged as fields. */
export interface ReloadDiff {
  zonesAdded: string[];
  zonesRemoved: string[];
  zonesChanged: ZoneChange[];
  rrsetsAdded: number;
  rrsetsRemoved: number;
}

/** Compares two generations of zones; unchanged zones cost one hash compare. */
export function diffZones(before: readonly ZoneSource[], after: readonly ZoneSource[]): ReloadDiff {
  const old = new Map(before.map((z) => [z.origin, z]));
  const diff: ReloadDiff = {
    zonesAdded: [],
    zonesRemoved: [],
    zonesChanged: [],
    rrsetsAdded: 0,
    rrsetsRemoved: 0,
  };

  for (const zone of after) {
    const previous = old.get(zone.origin);
    old.delete(zone.origin);
    if (previous === undefined) {
      diff.zonesAdded.push(zone.origin);
      diff.rrsetsAdded += zone.rrsets.length;
      continue;
    }
    if (previous === zone || previous.contentHash === zone.contentHash) continue;

    const change = diffRrsets(previous, zone);
    diff.zonesChanged.push(change);
    diff.rrsetsAdded += change.rrsetsAdded;
    diff.rrsetsRemoved += change.rrsetsRemoved;
  }

  for (const zone of old.values()) {
    diff.zonesRemoved.push(zone.origin);
    diff.rrsetsRemoved += zone.rrsets.length;
  }
  return diff;
}

/** A changed RRset counts as one removed and one added. */
function diffRrsets(before: ZoneSource, after: ZoneSource): ZoneChange {
  const old = new Set(before.rrsets.filter((r) => r.type !== 'SOA').map(fingerprint));
  let added = 0;
  for (const rrset of after.rrsets) {
    if (rrset.type === 'SOA') continue;
    const key = fingerprint(rrset);
    if (old.has(key)) old.delete(key);
    else added++;
  }
  return {
    zone: after.origin,
    oldSerial: serialOf(before),
    newSerial: serialOf(after),
    rrsetsAdded: added,
    rrsetsRemoved: old.size,
  };
}

function fingerprint(rrset: RecordSet): string {
  return `${rrset.name} ${rrset.type} ${rrset.ttlSeconds} ${JSON.stringify(rrset.records)}`;
}

/** The SOA serial of a zone source. */
export function serialOf(zone: ZoneSource): number {
  const soa = zone.rrsets.find((r) => r.type === 'SOA') as RecordSet<'SOA'> | undefined;
  return soa?.records[0]?.serial ?? 0;
}
