/**
 * Pieces of the Prometheus text format 0.0.4 that vigil writes itself:
 * family headers, label values, and histogram samples from bucket counts.
 */

/** `# HELP` and `# TYPE` of one family. */
export function familyHeader(name: string, type: string, help: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

/** A label value quoted for the text format: backslash, quote and newline escaped. */
export function labelValue(value: string): string {
  return `"${value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`;
}

/**
 * The samples of one histogram series: cumulative `_bucket` lines with
 * `le`, then `_sum` and `_count`. `counts` holds one count per bucket of
 * `bounds`, not cumulative, plus one for everything above the last bound;
 * `labels` is the rest of the label set, already formatted (`check="web"`),
 * or empty.
 */
export function histogramSamples(
  name: string,
  labels: string,
  bounds: readonly string[],
  counts: ArrayLike<number>,
  sum: number,
): string {
  const more = labels === '' ? '' : `,${labels}`;
  const plain = labels === '' ? '' : `{${labels}}`;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < bounds.length; i++) {
    cumulative += counts[i]!;
    out += `${name}_bucket{le="${bounds[i]}"${more}} ${cumulative}\n`;
  }
  cumulative += counts[bounds.length]!;
  out += `${name}_bucket{le="+Inf"${more}} ${cumulative}\n`;
  out += `${name}_sum${plain} ${sum}\n${name}_count${plain} ${cumulative}\n`;
  return out;
}

/** Index of the first bound `value` does not exceed, or bounds.length. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  return i;
}
