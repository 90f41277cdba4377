/**
 * Readers for the hash-carrying types DS (RFC 4034 §5.1), SSHFP (RFC 4255
 * §3.1) and TLSA (RFC 6698 §2.1), with octoDNS field names; digests are hex.
 */
import type { RDataByType } from '../zone/types.js';
import type { RDataReader } from './rdata.js';
import {
  fieldContext,
  missing,
  readHex,
  readInt,
  readMap,
  within,
  type ReadContext,
} from './value-read.js';
import type { YNode } from './yaml-tree.js';

type Read = (node: YNode | null, ctx: ReadContext) => number | string | undefined;

const u8: Read = (n, c) => readInt(n, c, 0, 255);
const u16: Read = (n, c) => readInt(n, c, 0, 65_535);
const hex: Read = readHex;

/**
 * Builds a reader for a mapping whose octoDNS keys map one to one onto the
 * model's fields: `spec` is [octoDNS key, model field, reader] triples.
 */
function structReader<T extends keyof RDataByType>(
  spec: readonly (readonly [string, string, Read])[],
): RDataReader<T> {
  const keys = spec.map(([key]) => key);
  const shape = `a mapping with ${keys.join(', ')}`;
  return {
    many: true,
    read(node, ctx) {
      const fields = readMap(node, ctx, shape, keys);
      if (!fields) return undefined;
      const at = within(ctx, node);
      const out: Record<string, number | string | undefined> = {};
      let complete = true;
      for (const [key, name, read] of spec) {
        const pair = fields.get(key);
        out[name] = pair ? read(pair.value, fieldContext(at, fields, key)) : missing(at, key);
        if (out[name] === undefined) complete = false;
      }
      return complete ? (out as unknown as RDataByType[T]) : undefined;
    },
  };
}

/** DS `{key_tag, algorithm, digest_type, digest}`. */
export const DS = structReader<'DS'>([
  ['key_tag', 'keyTag', u16],
  ['algorithm', 'algorithm', u8],
  ['digest_type', 'digestType', u8],
  ['digest', 'digest', hex],
]);

/** SSHFP `{algorithm, fingerprint_type, fingerprint}`. */
export const SSHFP = structReader<'SSHFP'>([
  ['algorithm', 'algorithm', u8],
  ['fingerprint_type', 'fingerprintType', u8],
  ['fingerprint', 'fingerprint', hex],
]);

/** TLSA `{certificate_usage, selector, matching_type, certificate_association_data}`. */
export const TLSA = structReader<'TLSA'>([
  ['certificate_usage', 'usage', u8],
  ['selector', 'selector', u8],
  ['matching_type', 'matchingType', u8],
  ['certificate_association_data', 'data', hex],
]);
