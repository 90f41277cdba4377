/**
 * Test helpers that build request bytes by hand, independently of the
 * MessageWriter under test.
 */

/** Wire form of a name given as its labels (strings are taken as latin1 octets). */
export function wireName(labels: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = typeof label === 'string' ? Buffer.from(label, 'latin1') : Buffer.from(label);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A 12-octet header. */
export function header(fields: {
  id?: number;
  flags?: number;
  qd?: number;
  an?: number;
  ns?: number;
  ar?: number;
}): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(fields.id ?? 0x1234, 0);
  b.writeUInt16BE(fields.flags ?? 0x0100, 2);
  b.writeUInt16BE(fields.qd ?? 1, 4);
  b.writeUInt16BE(fields.an ?? 0, 6);
  b.writeUInt16BE(fields.ns ?? 0, 8);
  b.writeUInt16BE(fields.ar ?? 0, 10);
  return b;
}

/** An OPT record as raw bytes. */
export function optBytes(
  o: { udp?: number; version?: number; dnssecOk?: boolean; rdata?: Buffer } = {},
): Buffer {
  const rdata = o.rdata ?? Buffer.alloc(0);
  const b = Buffer.alloc(11);
  b.writeUInt16BE(41, 1);
  b.writeUInt16BE(o.udp ?? 4096, 3);
  b[6] = o.version ?? 0;
  b[7] = o.dnssecOk ? 0x80 : 0;
  b.writeUInt16BE(rdata.length, 9);
  return Buffer.concat([b, rdata]);
}

/** A whole query: header, one question, optional additional records. */
export function query(
  labels: readonly (string | Uint8Array)[],
  qtype = 1,
  opts: { id?: number; flags?: number; qclass?: number; additional?: Buffer[] } = {},
): Buffer {
  const q = Buffer.alloc(4);
  q.writeUInt16BE(qtype, 0);
  q.writeUInt16BE(opts.qclass ?? 1, 2);
  const additional = opts.additional ?? [];
  return Buffer.concat([
    header({ id: opts.id, flags: opts.flags, ar: additional.length }),
    wireName(labels),
    q,
    ...additional,
  ]);
}

/** Hex string to Buffer, ignoring spaces and newlines. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}
