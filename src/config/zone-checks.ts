/**
 * Checks that need several RRsets of one name or of the whole zone: CNAME
 * and ALIAS exclusivity, the apex NS set, and the SOA, synthesised when the
 * file has none.
 */
import type { RecordSet, RecordType } from '../zone/types.js';
import type { ProblemSink } from './problems.js';
import { chooseSerial } from './serial.js';

/** SOA refresh when vigil writes the SOA (seconds, RFC 1035 §3.3.13). */
export const DEFAULT_SOA_REFRESH_SECONDS = 3600;
/** SOA retry when vigil writes the SOA (seconds). */
export const DEFAULT_SOA_RETRY_SECONDS = 600;
/** SOA expire when vigil writes the SOA (seconds, one week). */
export const DEFAULT_SOA_EXPIRE_SECONDS = 604_800;
/** SOA minimum, the negative-caching TTL (seconds, RFC 2308 §4). */
export const DEFAULT_SOA_MINIMUM_SECONDS = 300;
/** TTL of a synthesised SOA (seconds). */
export const DEFAULT_SOA_TTL_SECONDS = 3600;
/** Mailbox label of a synthesised SOA rname: hostmaster.<origin> (RFC 2142 §7). */
export const DEFAULT_SOA_RNAME_LABEL = 'hostmaster';

/** An RRset with the offset of its record in the text, for messages. */
export interface PlacedSet {
  readonly set: RecordSet;
  readonly offset: number;
  readonly path: string;
}

/**
 * RFC 1034 §3.6.2 (and RFC 2181 §10.1): a CNAME is alone at its name and
 * never at the apex. ALIAS answers A/AAAA queries, so it cannot sit beside them.
 */
export function checkNameSets(sets: readonly PlacedSet[], apex: boolean, sink: ProblemSink): void {
  const types = sets.map((s) => s.set.type);
  for (const { set, offset, path } of sets) {
    const others = types.filter((t) => t !== set.type);
    if (set.type === 'CNAME' && apex) {
      sink.add(offset, path, 'expected no CNAME at the zone apex (RFC 1034 §3.6.2), got CNAME');
    } else if (set.type === 'CNAME' && others.length > 0) {
      sink.add(
        offset,
        path,
        `expected CNAME to be the only record at its name (RFC 1034 §3.6.2), got CNAME beside ${others.join(', ')}`,
      );
    } else if (set.type === 'ALIAS') {
      const clash = others.filter((t): t is RecordType => t === 'A' || t === 'AAAA');
      if (clash.length > 0) {
        sink.add(
          offset,
          path,
          `expected ALIAS without A or AAAA at its name, got ALIAS beside ${clash.join(', ')}`,
        );
      }
    }
  }
}

/** What the SOA step needs about the zone. */
export interface SoaInput {
  readonly origin: string;
  readonly file: string;
  readonly apexSets: readonly PlacedSet[];
  /** Offset of the apex key, or -1 when the file has no apex entry. */
  readonly apexOffset: number;
  readonly mtimeSeconds: number;
  readonly previousSerial?: number;
}

/**
 * Returns the zone's SOA RRset (from the file, with a serial chosen when not
 * pinned, or synthesised) and whether the serial was pinned; reports a
 * missing apex NS set (RFC 1035 §4.2.1: a zone has SOA and NS at its top).
 */
export function resolveSoa(
  input: SoaInput,
  sink: ProblemSink,
): { soa: RecordSet<'SOA'>; pinned: boolean } | undefined {
  const ns = input.apexSets.find((s) => s.set.type === 'NS')?.set as RecordSet<'NS'> | undefined;
  if (!ns) {
    sink.add(input.apexOffset, "''", 'expected an NS record set at the zone apex, got none');
    return undefined;
  }
  const written = input.apexSets.find((s) => s.set.type === 'SOA')?.set as
    RecordSet<'SOA'> | undefined;
  const data = written?.records[0];
  if (written && data && data.serial >= 0) return { soa: written, pinned: true };

  const serial = chooseSerial(input.mtimeSeconds, input.previousSerial);
  if (written && data) {
    return { soa: { ...written, records: [{ ...data, serial }] }, pinned: false };
  }
  const soa: RecordSet<'SOA'> = {
    name: input.origin,
    type: 'SOA',
    ttlSeconds: DEFAULT_SOA_TTL_SECONDS,
    records: [
      {
        mname: ns.records[0]?.target ?? input.origin,
        rname: `${DEFAULT_SOA_RNAME_LABEL}.${input.origin === '.' ? '' : input.origin}`,
        serial,
        refresh: DEFAULT_SOA_REFRESH_SECONDS,
        retry: DEFAULT_SOA_RETRY_SECONDS,
        expire: DEFAULT_SOA_EXPIRE_SECONDS,
        minimum: DEFAULT_SOA_MINIMUM_SECONDS,
      },
    ],
    source: { file: input.file, line: 1, col: 1 },
  };
  return { soa, pinned: false };
}
