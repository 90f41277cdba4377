/**
 * The `tcp` probe: connect, optionally wrap in TLS, optionally send a
 * payload and check that the reply starts with the expected text.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { CheckConfig, ProbeResult } from '../types.js';
import { ConnectTrace, openSocket } from './connect.js';
import { Deadline, describeError, elapsedMs, makeResult, quote, type Probe } from './probe.js';

/** Probes a TCP service; see TcpCheck for the settings it reads. */
export const tcpProbe: Probe = { run: runTcp };

async function runTcp(check: CheckConfig, signal: AbortSignal): Promise<ProbeResult> {
  const at = Date.now();
  const startMs = performance.now();
  if (check.type !== 'tcp') return makeResult(at, startMs, false, `not a tcp check`, {});

  const deadline = new Deadline(check.timeoutMs, signal);
  const trace = new ConnectTrace();
  let firstByteMs: number | undefined;
  let socket: Socket | undefined;
  const phases = (): ProbeResult['phases'] => ({
    connectMs: trace.connectMs,
    ...(trace.dnsMs === undefined ? {} : { dnsMs: trace.dnsMs }),
    ...(trace.tlsMs === undefined ? {} : { tlsMs: trace.tlsMs }),
    ...(firstByteMs === undefined ? {} : { firstByteMs }),
  });

  try {
    socket = await openSocket(check, deadline.signal, trace);
    socket.on('error', () => {}); // reported through the read below, or irrelevant after it
    const sentMs = performance.now();
    if (check.send !== undefined) {
      trace.step = 'send';
      socket.write(check.send);
    }
    if (check.expect === undefined) return makeResult(at, startMs, true, 'connected', phases());

    trace.step = 'receive';
    const expected = Buffer.from(check.expect, 'utf8');
    if (expected.length === 0) return makeResult(at, startMs, true, 'connected', phases());
    const reply = await readPrefix(socket, expected.length, deadline.signal, () => {
      firstByteMs = elapsedMs(sentMs);
    });
    const ok = reply.subarray(0, expected.length).equals(expected);
    const reason = ok ? 'reply matches' : `reply does not start with ${quote(check.expect)}`;
    return makeResult(at, startMs, ok, reason, phases());
  } catch (err) {
    const reason = deadline.signal.aborted
      ? deadline.abortReason()
      : describeError(trace.step, trace.error ?? err);
    return makeResult(at, startMs, false, reason, phases());
  } finally {
    if (socket !== undefined) close(socket);
    deadline.dispose();
  }
}

/**
 * Closes a probe's connection. A plain TCP one is reset (SO_LINGER 0), as
 * load balancers close their checks: the prober then keeps no TIME_WAIT
 * entry per probe, which at thousands of probes a second would fill the
 * kernel's table, and the close costs one packet instead of a handshake.
 * A TLS connection is closed normally; Node cannot reset one.
 */
function close(socket: Socket): void {
  if (socket instanceof TLSSocket || socket.destroyed) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * Reads until `byteCount` bytes arrived or the peer closed, whichever comes
 * first, and returns what was read.
 */
function readPrefix(
  socket: Socket,
  byteCount: number,
  signal: AbortSignal,
  onFirstByte: () => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (err?: unknown): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', finish);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve(Buffer.concat(chunks, length));
      else reject(err);
    };
    const onData = (chunk: Buffer): void => {
      if (length === 0) onFirstByte();
      chunks.push(chunk);
      length += chunk.length;
      if (length >= byteCount) finish();
    };
    const onEnd = (): void => finish();
    const onAbort = (): void => finish(signal.reason);
    if (signal.aborted) return onAbort();
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', finish);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
