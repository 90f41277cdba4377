/**
 * The per-check metric families. With thousands of checks these are most of
 * a scrape, so they are kept as plain numbers (a probe result costs a map
 * lookup and a few additions) and written out in slices that yield to the
 * event loop, so a scrape never holds up queries for long.
 */
import type { HealthView, ProbeResult, Transition } from '../health/index.js';
import { bucketIndex, familyHeader, histogramSamples, labelValue } from './exposition.js';
import { inSlices } from './slices.js';

/** Upper bounds of `vigil_probe_duration_seconds`, seconds. */
export const PROBE_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

const DURATION_BOUNDS_TEXT = PROBE_DURATION_BUCKETS_SECONDS.map(String);

/** The figures of one check between scrapes. */
interface Series {
  /** `check="name"`, formatted once. */
  readonly label: string;
  /** Probes per duration bucket, not cumulative, plus one above the last bound. */
  readonly durationCounts: number[];
  durationSumSeconds: number;
  passes: number;
  failures: number;
  toUp: number;
  toDown: number;
  /** Read from the monitor at each scrape. */
  up: boolean;
  skippedTurns: number;
}

/** Per-check counters, fed by the monitor's hooks and read at scrape time. */
export class CheckSeries {
  readonly #series = new Map<string, Series>();

  /** Counts one probe result of `check`. */
  recordResult(check: string, result: ProbeResult): void {
    const series = this.#get(check);
    const seconds = result.durationMs / 1000;
    series.durationCounts[bucketIndex(PROBE_DURATION_BUCKETS_SECONDS, seconds)]! += 1;
    series.durationSumSeconds += seconds;
    if (result.ok) series.passes += 1;
    else series.failures += 1;
  }

  /** Counts one state change. */
  recordTransition(transition: Transition): void {
    const series = this.#get(transition.check);
    if (transition.to === 'up') series.toUp += 1;
    else series.toDown += 1;
  }

  /**
   * The five per-check families as text, in chunks of a slice each, for
   * the checks `health` runs now: series of checks a reload removed are
   * dropped, new checks start at 0.
   */
  async render(health: HealthView): Promise<string[]> {
    const names = health.names();
    const current = new Set(names);
    for (const name of this.#series.keys()) {
      if (!current.has(name)) this.#series.delete(name);
    }
    const rows = names.map((name) => this.#get(name));
    await inSlices(names, (name, i) => {
      const state = health.state(name);
      rows[i]!.up = state?.state === 'up';
      rows[i]!.skippedTurns = state?.skippedTurns ?? 0;
      return '';
    });

    const parts = [
      familyHeader('vigil_check_up', 'gauge', 'Whether a check is up (1) or down (0).'),
      await inSlices(rows, (s) => `vigil_check_up{${s.label}} ${s.up ? 1 : 0}\n`),
      familyHeader(
        'vigil_check_skipped_turns_total',
        'counter',
        'Turns skipped because the previous probe of the check was still queued or running.',
      ),
      await inSlices(
        rows,
        (s) => `vigil_check_skipped_turns_total{${s.label}} ${s.skippedTurns}\n`,
      ),
      familyHeader(
        'vigil_probe_results_total',
        'counter',
        'Probe results by check and outcome (pass or fail).',
      ),
      await inSlices(
        rows,
        (s) =>
          `vigil_probe_results_total{${s.label},result="pass"} ${s.passes}\n` +
          `vigil_probe_results_total{${s.label},result="fail"} ${s.failures}\n`,
      ),
      familyHeader(
        'vigil_check_transitions_total',
        'counter',
        'State changes by check and the state entered (up or down).',
      ),
      await inSlices(
        rows,
        (s) =>
          `vigil_check_transitions_total{${s.label},to="up"} ${s.toUp}\n` +
          `vigil_check_transitions_total{${s.label},to="down"} ${s.toDown}\n`,
      ),
      familyHeader(
        'vigil_probe_duration_seconds',
        'histogram',
        'Duration of each probe, by check.',
      ),
      await inSlices(rows, (s) =>
        histogramSamples(
          'vigil_probe_duration_seconds',
          s.label,
          DURATION_BOUNDS_TEXT,
          s.durationCounts,
          s.durationSumSeconds,
        ),
      ),
    ];
    return parts.flat();
  }

  #get(check: string): Series {
    let series = this.#series.get(check);
    if (series === undefined) {
      series = {
        label: `check=${labelValue(check)}`,
        durationCounts: new Array<number>(PROBE_DURATION_BUCKETS_SECONDS.length + 1).fill(0),
        durationSumSeconds: 0,
        passes: 0,
        failures: 0,
        toUp: 0,
        toDown: 0,
        up: false,
        skippedTurns: 0,
      };
      this.#series.set(check, series);
    }
    return series;
  }
}
