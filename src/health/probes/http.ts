/**
 * The `http` and `https` probe: one request over a fresh connection made by
 * our own connector (so DNS, connect and TLS are timed separately), no
 * redirects followed, status checked against ranges, body optionally
 * searched within its first 64 KiB.
 */
import { isIP } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import type { CheckConfig, HttpCheck, ProbeResult } from '../types.js';
import { ConnectTrace, openSocket } from './connect.js';
import { Deadline, describeError, elapsedMs, makeResult, quote, type Probe } from './probe.js';

/** How much of a body is searched for `expectBody`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Probes an HTTP(S) endpoint; see HttpCheck for the settings it reads. */
export const httpProbe: Probe = { run: runHttp };

async function runHttp(check: CheckConfig, signal: AbortSignal): Promise<ProbeResult> {
  const at = Date.now();
  const startMs = performance.now();
  if (check.type !== 'http' && check.type !== 'https') {
    return makeResult(at, startMs, false, 'not an http check', {});
  }

  const deadline = new Deadline(check.timeoutMs, signal);
  const trace = new ConnectTrace();
  const tls = check.type === 'https' ? (check.tls ?? DEFAULT_TLS) : undefined;
  const target = { ...check, tls, alpnProtocols: tls ? ['http/1.1'] : undefined };
  let readyMs: number | undefined;
  let firstByteMs: number | undefined;
  const phases = (): ProbeResult['phases'] => ({
    ...(trace.dnsMs === undefined ? {} : { dnsMs: trace.dnsMs }),
    ...(trace.connectMs === undefined ? {} : { connectMs: trace.connectMs }),
    ...(trace.tlsMs === undefined ? {} : { tlsMs: trace.tlsMs }),
    ...(firstByteMs === undefined ? {} : { firstByteMs }),
  });

  const client = new Client(originOf(check), {
    connect: (_options, callback) => {
      openSocket(target, deadline.signal, trace).then(
        (socket) => {
          readyMs = performance.now();
          callback(null, socket);
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
      );
    },
  });

  try {
    const response = await client.request({
      path: check.path,
      method: check.method,
      headers: headersOf(check),
      signal: deadline.signal,
    });
    if (readyMs !== undefined) firstByteMs = elapsedMs(readyMs);
    const status = response.statusCode;
    const inRange = check.expectStatus.some(([low, high]) => status >= low && status <= high);
    if (!inRange || check.expectBody === undefined || check.method === 'HEAD') {
      discard(response.body);
      return makeResult(at, startMs, inRange, `status ${status}`, phases(), status);
    }

    trace.step = 'receive';
    const body = await readHead(response.body, MAX_BODY_BYTES);
    const found = body.toString('utf8').includes(check.expectBody);
    const reason = found ? `status ${status}` : `body lacks ${quote(check.expectBody)}`;
    return makeResult(at, startMs, found, reason, phases(), status);
  } catch (err) {
    const step = trace.error === undefined && trace.step !== 'receive' ? 'request' : trace.step;
    const reason = deadline.signal.aborted
      ? deadline.abortReason()
      : describeError(step, trace.error ?? err);
    return makeResult(at, startMs, false, reason, phases());
  } finally {
    await client.destroy().catch(() => {});
    deadline.dispose();
  }
}

/** HTTPS settings when a check carries none: verify against the system CAs. */
const DEFAULT_TLS = { verify: true, servername: undefined, ca: undefined } as const;

/** The request origin; its host is only a label, our connector picks the address. */
function originOf(check: HttpCheck): string {
  const host = isIP(check.host) === 6 ? `[${check.host}]` : check.host;
  return `${check.type}://${host}:${check.port}`;
}

/**
 * The check's headers plus Host, which carries the port when it is not the
 * scheme's default (RFC 9110 §7.2). A Host in `headers` wins.
 */
function headersOf(check: HttpCheck): Record<string, string> {
  const headers: Record<string, string> = { ...check.headers };
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'host')) return headers;
  const defaultPort = check.type === 'https' ? 443 : 80;
  const host = isIP(check.host) === 6 ? `[${check.host}]` : check.host;
  headers['host'] = check.port === defaultPort ? host : `${host}:${check.port}`;
  return headers;
}

/** Reads at most `byteCount` bytes of `body`, then drops the rest. */
async function readHead(body: Dispatcher.ResponseData['body'], byteCount: number) {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= byteCount) break;
  }
  discard(body);
  return Buffer.concat(chunks, length).subarray(0, byteCount);
}

/**
 * Drops an unread body. Destroying it makes undici emit an abort error, which
 * is expected here, so it is swallowed rather than left unhandled.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}
