/**
 * The health-check model shared by the config loader (which produces check
 * definitions from `checks:`) and the health module (which probes them and
 * keeps their state). Durations are milliseconds, as everywhere in vigil.
 */
import type { SourceLocation } from '../errors.js';

/** Kinds of probe; each has one file in src/health/probes. */
export type CheckType = 'http' | 'https' | 'tcp' | 'dns';

/** What a check starts as, before its first verdict. */
export type InitialState = 'up' | 'down';

/** Fields every check has. */
export interface CheckBase {
  /** The name under `checks:`; failover records refer to it. */
  readonly name: string;
  readonly type: CheckType;
  /** The FQDN probed, without a trailing dot; for HTTP(S) also the Host header and SNI. */
  readonly host: string;
  /** Connect here instead of resolving `host`: an IP literal. */
  readonly address: string | undefined;
  readonly port: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive passes that make a check up. */
  readonly rise: number;
  /** Consecutive failures that make a check down. */
  readonly fall: number;
  readonly initial: InitialState;
  /** Where the check was declared, for messages. */
  readonly source: SourceLocation;
}

/** TLS settings of an HTTPS or TLS-wrapped TCP check. */
export interface TlsSettings {
  /** Verify the certificate chain and name (default true). */
  readonly verify: boolean;
  /** SNI and the name the certificate must carry; defaults to `host`. */
  readonly servername: string | undefined;
  /** PEM text of extra trusted CAs, read from the `ca` file at load. */
  readonly ca: string | undefined;
}

/** An inclusive range of HTTP status codes; `301` is [301, 301]. */
export type StatusRange = readonly [number, number];

/** `type: http` or `type: https`. */
export interface HttpCheck extends CheckBase {
  readonly type: 'http' | 'https';
  /** Request path, starting with '/'. */
  readonly path: string;
  readonly method: 'GET' | 'HEAD';
  /** Passing statuses; default [[200, 399]]. */
  readonly expectStatus: readonly StatusRange[];
  /** A substring the first 64 KiB of the body must hold. */
  readonly expectBody: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Present for https (with defaults); undefined for http. */
  readonly tls: TlsSettings | undefined;
}

/** `type: tcp`. */
export interface TcpCheck extends CheckBase {
  readonly type: 'tcp';
  /** Bytes to send once connected (UTF-8). */
  readonly send: string | undefined;
  /** What the reply must start with (UTF-8). */
  readonly expect: string | undefined;
  /** A TLS handshake after connecting, when set. */
  readonly tls: TlsSettings | undefined;
}

/** `type: dns`. */
export interface DnsCheck extends CheckBase {
  readonly type: 'dns';
  /** The question; default the host's A record. Name without trailing dot. */
  readonly query: { readonly name: string; readonly type: string };
  /** Rcode that passes, by name; default NOERROR. */
  readonly expectRcode: string;
  /** When set, the answer section must hold a record whose data equals this. */
  readonly expectAnswer: string | undefined;
}

/** One check definition. */
export type CheckConfig = HttpCheck | TcpCheck | DnsCheck;

/** Timings of one probe, in ms, where the probe type has the phase. */
export interface ProbePhases {
  readonly dnsMs?: number;
  readonly connectMs?: number;
  readonly tlsMs?: number;
  readonly firstByteMs?: number;
}

/** The outcome of one probe. */
export interface ProbeResult {
  /** When the probe started, epoch ms. */
  readonly at: number;
  readonly ok: boolean;
  /** Why it passed or failed, short and fixed-form: 'status 503', 'timeout after 3000 ms'. */
  readonly reason: string;
  readonly durationMs: number;
  readonly phases: ProbePhases;
  /** HTTP status, for HTTP(S) probes that got one. */
  readonly status?: number;
}
