/**
 * One resolution of an ALIAS target through the upstream resolvers: the
 * servers asked in turn, CNAME and DNAME links followed, and the answer
 * reduced to addresses and the lowest TTL along the way.
 */
import { Packet } from 'dns2';
import { Address6 } from 'ip-address';
import { queryDns, type DnsPacket, type DnsResource } from '../health/probes/dns.js';
import { Deadline, errorCode } from '../health/probes/probe.js';
import type { AddressType } from './upstream.js';

/** TTL of an empty answer whose authority section carries no SOA. */
export const DEFAULT_NEGATIVE_TTL_SECONDS = 60;
/** CNAME and DNAME links followed from the tracked name before giving up. */
export const MAX_CHAIN_LINKS = 8;

/** DNAME has no codec in dns2; its rdata arrives raw (RFC 6672 §2.1). */
const TYPE_DNAME = 39;

/** One resolution's result: addresses (maybe none) with a TTL, or why it failed. */
export type Outcome =
  | { readonly ok: true; readonly addresses: readonly string[]; readonly ttlSeconds: number }
  | { readonly ok: false; readonly reason: string };

/**
 * One resolution of (name, type): asks the servers in turn and follows the
 * CNAME and DNAME links of the answer section (RFC 1034 §3.6.2, RFC 6672
 * §3.2), asking again for the chain's end when a reply stops at a CNAME.
 * NXDOMAIN and NODATA are successes without addresses. Never rejects.
 */
export async function resolveAddresses(
  name: string,
  type: AddressType,
  servers: readonly { readonly host: string; readonly port: number }[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Outcome> {
  const typeCode = Packet.TYPE[type];
  const seen = new Set([name]);
  let current = name;
  let ttlSeconds = Infinity;
  for (;;) {
    const asked = await askInTurn(servers, current, typeCode, timeoutMs, signal);
    if (!asked.ok)
      return current === name ? asked : { ok: false, reason: `${asked.reason} (for ${current})` };
    const { response } = asked;
    let linked = false;
    for (;;) {
      const here = response.answers.filter(
        (r) => r.class === Packet.CLASS.IN && ownerOf(r) === current,
      );
      const data = here.filter((r) => r.type === typeCode);
      if (data.length > 0) {
        const ttl = Math.min(ttlSeconds, ...data.map((r) => r.ttl));
        return { ok: true, addresses: addressesOf(data, type), ttlSeconds: ttl };
      }
      const link = cnameLink(here) ?? dnameLink(response.answers, current);
      if (link === undefined) break;
      ttlSeconds = Math.min(ttlSeconds, link.ttlSeconds);
      if (seen.has(link.target)) return { ok: false, reason: `CNAME loop at ${link.target}` };
      if (seen.size > MAX_CHAIN_LINKS) {
        return { ok: false, reason: `CNAME chain longer than ${MAX_CHAIN_LINKS} links` };
      }
      seen.add(link.target);
      current = link.target;
      linked = true;
    }

    // RFC 2308 §2.1, §2.2: NXDOMAIN, or NODATA with the zone's SOA, is the
    // final word on the chain's end. A reply that merely stops at a CNAME
    // (an authoritative server whose target lies elsewhere) is asked again.
    const soa = response.authorities.find((r) => r.type === Packet.TYPE.SOA);
    if (response.header.rcode === Packet.RCODE.NXDOMAIN || soa !== undefined || !linked) {
      return { ok: true, addresses: [], ttlSeconds: Math.min(ttlSeconds, negativeTtlOf(soa)) };
    }
  }
}

/** The first server's usable reply, or the reasons every server failed. */
async function askInTurn(
  servers: readonly { readonly host: string; readonly port: number }[],
  name: string,
  typeCode: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ ok: true; response: DnsPacket } | { ok: false; reason: string }> {
  const reasons: string[] = [];
  for (const server of servers) {
    const deadline = new Deadline(timeoutMs, signal);
    let problem: string | undefined;
    try {
      const response = await queryDns(server, name, typeCode, deadline.signal);
      problem = problemOf(response, name, typeCode);
      if (problem === undefined) return { ok: true, response };
    } catch (err) {
      if (signal.aborted) return { ok: false, reason: 'aborted' };
      problem = deadline.signal.aborted
        ? deadline.abortReason()
        : (errorCode(err) ?? messageOf(err));
    } finally {
      deadline.dispose();
    }
    reasons.push(`${problem} from ${hostPort(server)}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

/**
 * Why a reply cannot be used, or undefined when it can: an rcode other than
 * NOERROR and NXDOMAIN, another question, or a referral (which means the
 * server does not recurse).
 */
function problemOf(response: DnsPacket, name: string, typeCode: number): string | undefined {
  const { rcode } = response.header;
  if (rcode !== Packet.RCODE.NOERROR && rcode !== Packet.RCODE.NXDOMAIN) {
    const table: Readonly<Record<string, number>> = Packet.RCODE;
    const rcodeName = Object.keys(table).find((key) => table[key] === rcode);
    return `rcode ${rcodeName ?? rcode}`;
  }
  const question = response.questions[0];
  if (
    question === undefined ||
    absoluteName(question.name) !== name ||
    question.type !== typeCode
  ) {
    return 'reply to another question';
  }
  const referral =
    response.answers.length === 0 &&
    rcode === Packet.RCODE.NOERROR &&
    !response.authorities.some((r) => r.type === Packet.TYPE.SOA) &&
    response.authorities.some((r) => r.type === Packet.TYPE.NS);
  return referral ? 'referral instead of an answer (not a recursive resolver?)' : undefined;
}

/** The CNAME at the current name, if the answer has one. */
function cnameLink(
  here: readonly DnsResource[],
): { target: string; ttlSeconds: number } | undefined {
  const cname = here.find((r) => r.type === Packet.TYPE.CNAME && typeof r.domain === 'string');
  return cname && { target: absoluteName(cname.domain!), ttlSeconds: cname.ttl };
}

/**
 * A DNAME above `name` rewrites its suffix (RFC 6672 §2.2). Resolvers also
 * send the CNAME this synthesizes, which cnameLink() follows first; this
 * covers servers that send the DNAME alone.
 */
function dnameLink(
  answers: readonly DnsResource[],
  name: string,
): { target: string; ttlSeconds: number } | undefined {
  for (const record of answers) {
    if (record.type !== TYPE_DNAME || !Buffer.isBuffer(record.data)) continue;
    const owner = ownerOf(record);
    if (owner === '.' || !name.endsWith(`.${owner}`)) continue;
    const target = decodeUncompressedName(record.data);
    if (target === undefined) continue;
    return {
      target: name.slice(0, -owner.length) + (target === '.' ? '' : target),
      ttlSeconds: record.ttl,
    };
  }
  return undefined;
}

/** Reads a wire name without compression pointers (RFC 6672 §2.5), lowercase. */
function decodeUncompressedName(data: Buffer): string | undefined {
  const labels: string[] = [];
  let offset = 0;
  while (offset < data.length) {
    const length = data[offset]!;
    if (length === 0) return labels.length === 0 ? '.' : `${labels.join('.')}.`.toLowerCase();
    if (length > 63 || offset + 1 + length > data.length) return undefined;
    labels.push(data.subarray(offset + 1, offset + 1 + length).toString('latin1'));
    offset += 1 + length;
  }
  return undefined;
}

function ownerOf(record: DnsResource): string {
  return absoluteName(record.name);
}

/** Distinct addresses, sorted so a rotated RRset compares equal; IPv6 in RFC 5952 form. */
function addressesOf(records: readonly DnsResource[], type: AddressType): string[] {
  const found = new Set<string>();
  for (const { address } of records) {
    if (typeof address !== 'string') continue;
    found.add(type === 'AAAA' ? new Address6(address).correctForm() : address);
  }
  return [...found].sort();
}

/** RFC 2308 §5: the lesser of the SOA's TTL and its MINIMUM field. */
function negativeTtlOf(soa: DnsResource | undefined): number {
  if (soa === undefined) return DEFAULT_NEGATIVE_TTL_SECONDS;
  return Math.min(soa.ttl, soa.minimum ?? soa.ttl);
}

function hostPort(server: { readonly host: string; readonly port: number }): string {
  return server.host.includes(':')
    ? `[${server.host}]:${server.port}`
    : `${server.host}:${server.port}`;
}

/** Lowercase with the trailing dot (RFC 4343 §2: names compare case-insensitively). */
export function absoluteName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The message of an Error, or the thrown value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
