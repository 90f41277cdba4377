/**
 * Duration strings ("500ms", "10s", "1m", "1h"): the one place vigil turns
 * the YAML spelling of a time span into milliseconds.
 */
import { VigilError } from '../errors.js';

/** Longest accepted duration: the largest delay a Node.js timer honours (2^31 - 1 ms). */
export const MAX_DURATION_MS = 2_147_483_647;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/**
 * Parses a duration such as '500ms', '10s', '1.5s', '1m' or '1h' and returns
 * milliseconds. Throws a VigilError (code ERR_DURATION) whose message reads
 * `expected a duration such as "10s", got "..."`.
 */
export function parseDuration(text: string): number {
  const match = DURATION_RE.exec(text);
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? NaN) : NaN;
  if (!Number.isInteger(ms)) {
    const hint = /^\d+(\.\d+)?$/.test(text) ? ` (add a unit: "${text}s" or "${text}ms")` : '';
    throw new VigilError(
      'ERR_DURATION',
      `expected a duration such as "500ms", "10s", "1m" or "1h", got ${JSON.stringify(text)}${hint}`,
    );
  }
  if (ms > MAX_DURATION_MS) {
    // Node.js timers fire at once for longer delays; refuse rather than misbehave.
    throw new VigilError(
      'ERR_DURATION',
      `expected a duration of at most ${MAX_DURATION_MS}ms (about 24.8 days), got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}
