/**
 * Hand-built DNS messages and plain sockets, for tests that need bytes no
 * well-behaved client would send, or exact control over framing.
 */
import dgram from 'node:dgram';
import net from 'node:net';

/** What goes into a hand-built query. */
export interface RawQuery {
  id?: number;
  name: string;
  type?: number;
  qclass?: number;
  /** The 16-bit flags word; default RD only. */
  flags?: number;
  /** Adds an OPT record. */
  edns?: { udpSize?: number; version?: number; dnssecOk?: boolean };
}

/** Encodes `query` by hand (RFC 1035 §4.1), independent of vigil's encoder. */
export function buildQuery(query: RawQuery): Buffer {
  const labels = query.name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l.length > 0);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id ?? 0x1234, 0);
  header.writeUInt16BE(query.flags ?? 0x0100, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(query.edns === undefined ? 0 : 1, 10);
  parts.push(header);
  for (const label of labels) parts.push(Buffer.from([label.length]), Buffer.from(label, 'latin1'));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(query.type ?? 1, 1);
  tail.writeUInt16BE(query.qclass ?? 1, 3);
  parts.push(tail);
  if (query.edns !== undefined) {
    const opt = Buffer.alloc(11);
    opt.writeUInt16BE(41, 1);
    opt.writeUInt16BE(query.edns.udpSize ?? 1232, 3);
    opt[6] = query.edns.version ?? 0;
    if (query.edns.dnssecOk === true) opt[7] = 0x80;
    parts.push(opt);
  }
  return Buffer.concat(parts);
}

/** Sends one datagram and resolves with the first reply, or null after `timeoutMs`. */
export function exchangeUdp(port: number, msg: Buffer, timeoutMs = 1000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, timeoutMs);
    socket.once('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(msg, port, '127.0.0.1');
  });
}

/** Header fields of a reply, read by hand. */
export function header(reply: Buffer) {
  const flags = reply.readUInt16BE(2);
  return {
    id: reply.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    rcode: flags & 0xf,
    qdcount: reply.readUInt16BE(4),
    ancount: reply.readUInt16BE(6),
    nscount: reply.readUInt16BE(8),
    arcount: reply.readUInt16BE(10),
  };
}

/** Frames `msg` with the two-octet TCP length prefix (RFC 1035 §4.2.2). */
export function frame(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/**
 * Opens a TCP connection, writes `bytes`, and collects `expected` framed
 * replies (or whatever arrived when the server closes or `timeoutMs` passes).
 */
export function exchangeTcp(
  port: number,
  bytes: Buffer,
  expected: number,
  timeoutMs = 2000,
): Promise<{ replies: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies, closed });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (replies.length >= expected) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}
