/**
 * The JSON body that every webhook receives for one health transition.
 * The shape is documented in this folder's README; keep the two in step.
 */
import type { ProbePhases, Transition } from '../health/index.js';

/** One probe result as sent: times as ISO strings, durations in ms. */
export interface PayloadResult {
  at: string;
  ok: boolean;
  reason: string;
  durationMs: number;
  phases: ProbePhases;
  status?: number;
}

/** The body of one webhook POST. */
export interface WebhookPayload {
  check: string;
  from: string;
  to: string;
  /** When the change happened, ISO 8601 in UTC. */
  at: string;
  reason: string;
  /** The results that decided the change, oldest first. */
  results: PayloadResult[];
  /** On a change to up: how long the check was down, when vigil saw it go down. */
  downForMs?: number;
  /** Failover records that use the check, as "owner TYPE" ("www.example.com. CNAME"). */
  records: string[];
}

/** Builds the body for `transition`; `downForMs` is added only when given. */
export function buildPayload(
  transition: Transition,
  downForMs?: number,
  records: readonly string[] = [],
): WebhookPayload {
  const payload: WebhookPayload = {
    check: transition.check,
    from: transition.from,
    to: transition.to,
    at: new Date(transition.at).toISOString(),
    reason: transition.reason,
    results: transition.results.map((r) => ({
      at: new Date(r.at).toISOString(),
      ok: r.ok,
      reason: r.reason,
      durationMs: r.durationMs,
      phases: r.phases,
      ...(r.status === undefined ? {} : { status: r.status }),
    })),
    records: [...records],
  };
  if (downForMs !== undefined) payload.downForMs = downForMs;
  return payload;
}
