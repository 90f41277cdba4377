/**
 * The `dns` probe: one query over UDP, repeated over TCP when the reply is
 * truncated (RFC 1035 §4.2.1, RFC 7766 §5), passing on the expected rcode
 * and, when set, an answer record whose data equals `expectAnswer`.
 *
 * dns2 encodes and decodes the messages; the transport is our own because
 * dns2's UDPClient takes no AbortSignal and its TCP retry has no timeout, so
 * a stopped or timed-out probe could leave a socket open.
 */
import { createSocket } from 'node:dgram';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { Packet } from 'dns2';
import type { CheckConfig, ProbeResult } from '../types.js';
import { ConnectTrace, resolveTarget, settle } from './connect.js';
import { Deadline, describeError, elapsedMs, makeResult, quote, type Probe } from './probe.js';

/** Probes a DNS server; see DnsCheck for the settings it reads. */
export const dnsProbe: Probe = { run: runDns };

/** A decoded DNS message, as dns2 gives it. */
export type DnsPacket = InstanceType<typeof Packet>;
/** One decoded resource record of a DnsPacket. */
export type DnsResource = DnsPacket['answers'][number];

async function runDns(check: CheckConfig, signal: AbortSignal): Promise<ProbeResult> {
  const at = Date.now();
  const startMs = performance.now();
  if (check.type !== 'dns') return makeResult(at, startMs, false, 'not a dns check', {});
  const typeCode = codeOf(Packet.TYPE, check.query.type);
  if (typeCode === undefined) {
    return makeResult(at, startMs, false, `query type ${check.query.type} unsupported`, {});
  }
  const expectedRcode = codeOf(Packet.RCODE, check.expectRcode);
  if (expectedRcode === undefined) {
    return makeResult(at, startMs, false, `rcode ${check.expectRcode} unknown`, {});
  }

  const deadline = new Deadline(check.timeoutMs, signal);
  const trace = new ConnectTrace();
  const timing: { connectMs?: number; firstByteMs?: number } = {};
  const phases = (): ProbeResult['phases'] => ({
    ...(trace.dnsMs === undefined ? {} : { dnsMs: trace.dnsMs }),
    ...timing,
  });

  try {
    const ip = await resolveTarget(check, deadline.signal, trace);
    trace.step = 'receive';
    const response = await queryDns(
      { host: ip, port: check.port },
      check.query.name,
      typeCode,
      deadline.signal,
      timing,
    );

    const rcode = response.header.rcode;
    const rcodeName = nameOf(Packet.RCODE, rcode) ?? String(rcode);
    if (rcode !== expectedRcode)
      return makeResult(at, startMs, false, `rcode ${rcodeName}`, phases());
    if (check.expectAnswer !== undefined) {
      const wanted = normalize(check.expectAnswer);
      const found = response.answers.some((record) => dataOf(record).includes(wanted));
      if (!found) {
        return makeResult(
          at,
          startMs,
          false,
          `answer lacks ${quote(check.expectAnswer)}`,
          phases(),
        );
      }
    }
    return makeResult(at, startMs, true, `rcode ${rcodeName}`, phases());
  } catch (err) {
    const reason = deadline.signal.aborted
      ? deadline.abortReason()
      : describeError(trace.step, trace.error ?? err);
    return makeResult(at, startMs, false, reason, phases());
  } finally {
    deadline.dispose();
  }
}

/**
 * Asks `server` one question with RD set over UDP and asks again over TCP
 * when the reply is truncated (RFC 1035 §4.2.1, RFC 7766 §5). Rejects on a
 * network error or when `signal` aborts; every socket is closed before it
 * settles. The rcode is the caller's to judge.
 */
export async function queryDns(
  server: { readonly host: string; readonly port: number },
  name: string,
  typeCode: number,
  signal: AbortSignal,
  timing: { connectMs?: number; firstByteMs?: number } = {},
): Promise<DnsPacket> {
  const query = buildQuery(name, typeCode);
  const response = await exchangeUdp(server.host, server.port, query, signal, timing);
  if (!response.header.tc) return response;
  return exchangeTcp(server.host, server.port, query, signal, timing);
}

/** A query with a random id and RD set, so recursive targets answer too. */
function buildQuery(name: string, typeCode: number): Buffer {
  const query = new Packet();
  query.header.id = randomInt(0x10000);
  query.header.rd = 1;
  query.questions.push(new Packet.Question(name, typeCode, Packet.CLASS.IN));
  return query.toBuffer();
}

/**
 * Sends `query` on a connected UDP socket, so the kernel drops datagrams
 * from other peers and reports ICMP port-unreachable as ECONNREFUSED.
 */
async function exchangeUdp(
  ip: string,
  port: number,
  query: Buffer,
  signal: AbortSignal,
  timing: { firstByteMs?: number },
): Promise<DnsPacket> {
  const socket = createSocket(isIP(ip) === 6 ? 'udp6' : 'udp4');
  const id = query.readUInt16BE(0);
  try {
    return await new Promise<DnsPacket>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('error', reject);
      socket.on('message', (message) => {
        const response = parseReply(message, id);
        if (response === undefined) return; // garbage or a stale id: keep waiting
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      });
      socket.connect(port, ip, () => {
        const sentMs = performance.now();
        socket.once('message', () => (timing.firstByteMs = elapsedMs(sentMs)));
        socket.send(query);
      });
    });
  } finally {
    socket.close();
  }
}

/** Sends `query` over TCP with its two-byte length prefix (RFC 1035 §4.2.2). */
async function exchangeTcp(
  ip: string,
  port: number,
  query: Buffer,
  signal: AbortSignal,
  timing: { connectMs?: number; firstByteMs?: number },
): Promise<DnsPacket> {
  const connectStartMs = performance.now();
  const socket: Socket = netConnect({ host: ip, port });
  socket.on('error', () => {}); // surfaced through settle() and the read below
  try {
    await settle(socket, 'connect', signal);
    timing.connectMs = elapsedMs(connectStartMs);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(query.length);
    const sentMs = performance.now();
    socket.write(Buffer.concat([prefix, query]));
    const message = await readFramed(socket, signal, () => {
      timing.firstByteMs = elapsedMs(sentMs);
    });
    const response = parseReply(message, query.readUInt16BE(0));
    if (response === undefined) throw new Error('unparseable or mismatched TCP reply');
    return response;
  } finally {
    socket.destroy();
  }
}

/** Reads one length-prefixed DNS message from `socket`. */
function readFramed(socket: Socket, signal: AbortSignal, onFirstByte: () => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const finish = (err: unknown, message?: Buffer): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      signal.removeEventListener('abort', onAbort);
      if (message === undefined) reject(err);
      else resolve(message);
    };
    const onData = (chunk: Buffer): void => {
      if (buffered.length === 0) onFirstByte();
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length >= 2 + length) finish(undefined, buffered.subarray(2, 2 + length));
    };
    const onEnd = (): void => finish(new Error('connection closed before the reply'));
    const onAbort = (): void => finish(signal.reason);
    if (signal.aborted) return onAbort();
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', (err) => finish(err));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Decodes a reply, or undefined when it does not decode or answers another id. */
function parseReply(message: Buffer, id: number): DnsPacket | undefined {
  try {
    const response = Packet.parse(message);
    return response.header.id === id ? response : undefined;
  } catch {
    return undefined;
  }
}

/** The comparable data of a record: address, target name or text. */
function dataOf(record: DnsResource): string[] {
  const values: unknown[] = [record.address, record.domain, record.exchange, record.target];
  if (typeof record.data === 'string') values.push(record.data);
  else if (Array.isArray(record.data)) values.push(record.data.join(''));
  return values.filter((value): value is string => typeof value === 'string').map(normalize);
}

/**
 * Case-folds names and drops a trailing dot (RFC 4343 §2); writes IPv6
 * literals in their canonical form so `2001:DB8::1` equals `2001:db8:0::1`.
 */
function normalize(value: string): string {
  if (isIP(value) === 6) return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  return value.toLowerCase().replace(/\.$/, '');
}

/** A mnemonic's code in one of dns2's tables, case-insensitively. */
function codeOf(table: Readonly<Record<string, number>>, name: string): number | undefined {
  return table[name.toUpperCase()];
}

/** The first mnemonic for `code` in one of dns2's tables. */
function nameOf(table: Readonly<Record<string, number>>, code: number): string | undefined {
  return Object.keys(table).find((name) => table[name] === code);
}
