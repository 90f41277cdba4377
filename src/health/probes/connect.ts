/**
 * Opens the TCP (and optionally TLS) connection the HTTP and TCP probes
 * use, timing each phase, so a failure can name the step it happened in.
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { EventEmitter } from 'node:events';
import type { TlsSettings } from '../types.js';
import { elapsedMs, type ProbeStep } from './probe.js';

/** Where to connect and how. */
export interface ConnectTarget {
  readonly host: string;
  /** An IP literal that replaces resolving `host`. */
  readonly address: string | undefined;
  readonly port: number;
  /** A TLS handshake after connecting, when set. */
  readonly tls: TlsSettings | undefined;
  /** ALPN protocols to offer in the TLS handshake. */
  readonly alpnProtocols?: string[];
}

/** What happened while connecting: phase timings and the failing step. */
export class ConnectTrace {
  /** The step in progress, or the one that failed. */
  step: ProbeStep = 'connect';
  dnsMs: number | undefined;
  connectMs: number | undefined;
  tlsMs: number | undefined;
  /** The first error a step raised, kept because wrappers may replace it. */
  error: unknown;
}

/**
 * Resolves (unless `address` is set), connects and, with `tls`, completes a
 * handshake. On failure the socket is destroyed and the error rethrown, with
 * `trace.step` and `trace.error` naming what went wrong.
 */
export async function openSocket(
  target: ConnectTarget,
  signal: AbortSignal,
  trace: ConnectTrace,
): Promise<Socket> {
  const ip = await resolveTarget(target, signal, trace);

  trace.step = 'connect';
  const connectStartMs = performance.now();
  const socket = netConnect({ host: ip, port: target.port });
  await guard(settle(socket, 'connect', signal), signal, trace, socket);
  trace.connectMs = elapsedMs(connectStartMs);
  if (target.tls === undefined) return socket;

  trace.step = 'tls';
  const tlsStartMs = performance.now();
  const servername = target.tls.servername ?? target.host;
  const secure = tlsConnect({
    socket,
    // RFC 6066 §3: SNI carries host names only, never IP literals.
    servername: isIP(servername) === 0 ? servername : undefined,
    ca: target.tls.ca,
    rejectUnauthorized: target.tls.verify,
    ALPNProtocols: target.alpnProtocols,
  });
  await guard(settle(secure, 'secureConnect', signal), signal, trace, secure);
  trace.tlsMs = elapsedMs(tlsStartMs);
  return secure;
}

/**
 * The IP to connect to: `address` when set, else the first address the
 * system resolver gives for `host`, timed as `trace.dnsMs`.
 */
export async function resolveTarget(
  target: Pick<ConnectTarget, 'host' | 'address'>,
  signal: AbortSignal,
  trace: ConnectTrace,
): Promise<string> {
  if (target.address !== undefined) return target.address;
  trace.step = 'resolve';
  const startMs = performance.now();
  const ip = await guard(
    lookup(target.host).then((found) => found.address),
    signal,
    trace,
  );
  trace.dnsMs = elapsedMs(startMs);
  return ip;
}

/** Waits for `event`, rejecting on 'error' or when `signal` aborts. */
export function settle(emitter: EventEmitter, event: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: unknown): void => {
      emitter.off(event, onEvent);
      emitter.off('error', done);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onEvent = (): void => done();
    const onAbort = (): void => done(signal.reason);
    if (signal.aborted) return onAbort();
    emitter.once(event, onEvent);
    emitter.once('error', done);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Awaits `work` unless `signal` aborts first, recording the error in `trace`
 * and destroying `socket` on failure.
 */
async function guard<T>(
  work: Promise<T>,
  signal: AbortSignal,
  trace: ConnectTrace,
  socket?: Socket,
): Promise<T> {
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  work.catch(() => {}); // a lookup that loses the race must not go unhandled
  try {
    if (signal.aborted) throw signal.reason;
    signal.addEventListener('abort', onAbort, { once: true });
    return await Promise.race([work, aborted]);
  } catch (err) {
    trace.error ??= err;
    socket?.destroy();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
