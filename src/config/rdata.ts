/**
 * The registry of record value readers, one per record type. Each turns the
 * octoDNS spelling of one value (a string or a mapping) into the record model
 * of src/zone/types.ts, reporting every problem it finds.
 */
import type { RDataByType, RecordType } from '../zone/types.js';
import { ADDRESS_READERS, NAME_READERS, MX, SRV, CAA, NAPTR, SOA } from './rdata-basic.js';
import { DS, SSHFP, TLSA } from './rdata-security.js';
import { SVCB } from './rdata-svcb.js';
import { TXT } from './rdata-txt.js';
import type { ReadContext } from './value-read.js';
import type { YNode } from './yaml-tree.js';

/** Reads one value of a record type. */
export interface RDataReader<T extends RecordType> {
  /** True when the type is an RRset of many values (`values:`); false for CNAME, ALIAS, SOA. */
  readonly many: boolean;
  /** The value, or undefined after reporting a problem into ctx.sink. */
  read(node: YNode | null, ctx: ReadContext): RDataByType[T] | undefined;
}

/** Every record type's reader. ANAME is not here: the loader renames it to ALIAS first. */
export const RDATA_READERS = {
  ...ADDRESS_READERS,
  ...NAME_READERS,
  MX,
  SRV,
  CAA,
  NAPTR,
  SOA,
  DS,
  SSHFP,
  TLSA,
  TXT,
  SPF: TXT,
  SVCB,
  HTTPS: SVCB,
} as unknown as Readonly<Record<RecordType, RDataReader<RecordType>>>;

/** Record type names accepted in `type:`, ANAME included. */
export const TYPE_NAMES: readonly string[] = [...Object.keys(RDATA_READERS), 'ANAME'].sort();
