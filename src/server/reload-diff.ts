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

/** RRsets compared per slice before yielding to the event loop. */
const DIFF_SLICE = 1_000;

/**
 * Compares two generations of zones; unchanged zones cost one hash compare.
 * Large zones are compared in slices, so queries keep flowing meanwhile.
 */
export async function diffZones(
  before: readonly ZoneSource[],
  after: readonly ZoneSource[],
): Promise<ReloadDiff> {
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

    const change = await diffRrsets(previous, zone);
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

/**
 * A changed RRset counts as one removed and one added. RRsets are matched by
 * owner and type and compared field by field, so a reload of a large zone
 * allocates no strings here.
 */
async function diffRrsets(before: ZoneSource, after: ZoneSource): Promise<ZoneChange> {
  const old = new Map<string, RecordSet[]>();
  for (const [i, rrset] of before.rrsets.entries()) {
    if (i % DIFF_SLICE === DIFF_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
    if (rrset.type === 'SOA') continue;
    const list = old.get(rrset.name);
    if (list === undefined) old.set(rrset.name, [rrset]);
    else list.push(rrset);
  }
  let added = 0;
  let kept = 0;
  for (const [i, rrset] of after.rrsets.entries()) {
    if (i % DIFF_SLICE === DIFF_SLICE - 1) await new Promise((resolve) => setImmediate(resolve));
    if (rrset.type === 'SOA') continue;
    const same = old.get(rrset.name)?.some((o) => o.type === rrset.type && sameRrset(o, rrset));
    if (same === true) kept++;
    else added++;
  }
  const removed =
    before.rrsets.length - (before.rrsets.some((r) => r.type === 'SOA') ? 1 : 0) - kept;
  return {
    zone: after.origin,
    oldSerial: serialOf(before),
    newSerial: serialOf(after),
    rrsetsAdded: added,
    rrsetsRemoved: removed,
  };
}

function sameRrset(a: RecordSet, b: RecordSet): boolean {
  if (a.ttlSeconds !== b.ttlSeconds || a.records.length !== b.records.length) return false;
  return a.records.every((record, i) => sameValue(record, b.records[i]));
}

/** Deep equality for record data: plain objects, arrays, strings and numbers. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** The SOA serial of a zone source. */
export function serialOf(zone: ZoneSource): number {
  const soa = zone.rrsets.find((r) => r.type === 'SOA') as RecordSet<'SOA'> | undefined;
  return soa?.records[0]?.serial ?? 0;
}
