/**
 * The probe interface every check type implements, plus the pieces all
 * probes share: the deadline that turns into `timeout after N ms`, and the
 * mapping from socket and TLS errors to short fixed-form reasons.
 */
import type { CheckConfig, ProbePhases, ProbeResult } from '../types.js';

/** Runs one probe of one check. Implementations resolve, never reject. */
export interface Probe {
  /**
   * Probes `check` once. The probe gives up when `signal` aborts or when
   * `check.timeoutMs` passes, whichever comes first, and closes every socket
   * it opened before it resolves.
   */
  run(check: CheckConfig, signal: AbortSignal): Promise<ProbeResult>;
}

/** TLS verification failures that name the certificate, as OpenSSL codes. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Longest free-text reason kept, so history and logs stay small. */
const MAX_REASON_CHARS = 120;

/** The step of a probe an error happened in, which prefixes its reason. */
export type ProbeStep = 'resolve' | 'connect' | 'tls' | 'send' | 'receive' | 'request';

/**
 * A probe's deadline: aborts at `timeoutMs` or when the caller's signal
 * aborts, and remembers which of the two it was.
 */
export class Deadline {
  /** Aborts when the probe must stop. */
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #outer: AbortSignal;
  readonly #timeoutMs: number;
  readonly #onOuterAbort = (): void => this.#controller.abort(this.#outer.reason);
  #timedOut = false;

  constructor(timeoutMs: number, outer: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    this.#outer = outer;
    this.signal = this.#controller.signal;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new DOMException('probe timed out', 'TimeoutError'));
    }, timeoutMs);
    this.#timer.unref();
    if (outer.aborted) this.#onOuterAbort();
    else outer.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** The reason to report once the signal has aborted. */
  abortReason(): string {
    const reason: unknown = this.#outer.reason;
    const outerTimeout = reason instanceof DOMException && reason.name === 'TimeoutError';
    if (this.#timedOut || outerTimeout) return `timeout after ${this.#timeoutMs} ms`;
    return 'aborted';
  }

  /** Releases the timer and the listener on the caller's signal. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer.removeEventListener('abort', this.#onOuterAbort);
  }
}

/** Turns an error from `step` into a short reason: `connect ECONNREFUSED`. */
export function describeError(step: ProbeStep, err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && CERTIFICATE_CODES.has(code)) return `certificate: ${code}`;
  if (code !== undefined) return `${step} ${code}`;
  const message = err instanceof Error ? err.message : String(err);
  return `${step} ${message}`.slice(0, MAX_REASON_CHARS);
}

/** The `code` string of a Node or undici error, when it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** Quotes expected text in a reason, cut short when long. */
export function quote(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return JSON.stringify(cut);
}

/** Milliseconds since `startMs` (a performance.now() value), to 0.01 ms. */
export function elapsedMs(startMs: number): number {
  return Math.round((performance.now() - startMs) * 100) / 100;
}

/** Builds a ProbeResult; `startMs` is the performance.now() at the start. */
export function makeResult(
  at: number,
  startMs: number,
  ok: boolean,
  reason: string,
  phases: ProbePhases,
  status?: number,
): ProbeResult {
  const result = { at, ok, reason, durationMs: elapsedMs(startMs), phases: { ...phases } };
  return status === undefined ? result : { ...result, status };
}
