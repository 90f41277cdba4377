/**
 * Builds RFC 1035 §5 master-file text from records given as presentation
 * strings, so a test can hand the same zone to Knot, NSD and vigil.
 */

/** Used for `$TTL` when the caller gives none (RFC 2308 §4). */
export const DEFAULT_ZONE_TTL_SECONDS = 3600;

/** One record in presentation form; `name` is relative to the origin, `@` or absolute. */
export interface ZoneRecord {
  name: string;
  /** Omitted: the record takes `$TTL`. */
  ttl?: number;
  type: string;
  /** RDATA exactly as it should appear in the file, e.g. `10 mail.example.com.`. */
  data: string;
}

/** Options for {@link formatZoneText}. */
export interface ZoneTextOptions {
  defaultTtlSeconds?: number;
}

/**
 * Returns master-file text: `$ORIGIN`, `$TTL`, then one `name ttl IN type data`
 * line per record in the order given. The origin gets its trailing dot if it
 * lacks one. Records are not validated; the server under test does that.
 */
export function formatZoneText(
  origin: string,
  records: readonly ZoneRecord[],
  opts: ZoneTextOptions = {},
): string {
  const fqdn = origin.endsWith('.') ? origin : `${origin}.`;
  const lines = [`$ORIGIN ${fqdn}`, `$TTL ${opts.defaultTtlSeconds ?? DEFAULT_ZONE_TTL_SECONDS}`];
  for (const rr of records) {
    const ttl = rr.ttl === undefined ? '' : String(rr.ttl);
    lines.push([rr.name, ttl, 'IN', rr.type.toUpperCase(), rr.data].filter(Boolean).join('\t'));
  }
  return `${lines.join('\n')}\n`;
}
