/**
 * Reads the Prometheus text format (0.0.4) strictly enough to catch a
 * malformed exposition: every sample line must parse, every family must be
 * declared once with its TYPE before its samples, and every histogram's
 * buckets must be cumulative and end at +Inf equal to its _count.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition. */
export interface Exposition {
  samples: Sample[];
  /** Family name to its TYPE. */
  types: Map<string, string>;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** Parses `text`; throws with the offending line when it is not valid exposition. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (types.has(type[1]!)) throw new Error(`family declared twice: ${line}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unknown comment line: ${line}`);
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(LABEL_PAIR)) labels[pair[1]!] = pair[2]!;
    const value = parseValue(m[3]!);
    if (value === undefined) throw new Error(`bad value: ${line}`);
    const name = m[1]!;
    if (!types.has(familyOf(name, types))) throw new Error(`sample before its TYPE: ${line}`);
    samples.push({ name, labels, value });
  }
  const exposition = { samples, types };
  for (const [family, kind] of types) {
    if (kind === 'histogram') checkHistogram(exposition, family);
  }
  return exposition;
}

/** The value of the one sample `name` whose labels include `labels`; undefined if none. */
export function valueOf(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && matches(s, labels));
  if (found.length > 1)
    throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length}`);
  return found[0]?.value;
}

/** Every sample of `name` whose labels include `labels`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  return exposition.samples.filter((s) => s.name === name && matches(s, labels));
}

/** GETs `url` and parses it; checks the status and the 0.0.4 content type. */
export async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: status ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4')) {
    throw new Error(`GET ${url}: content-type ${type}`);
  }
  return parseExposition(await res.text());
}

/**
 * A sample value as Prometheus reads it: Go's ParseFloat, which takes NaN
 * and Inf in any case (prom-client writes NaN as "Nan").
 */
function parseValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN;
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

function matches(sample: Sample, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => sample.labels[k] === v);
}

function familyOf(name: string, types: Map<string, string>): string {
  if (types.has(name)) return name;
  const suffix = SUFFIXES.find((s) => name.endsWith(s));
  return suffix === undefined ? name : name.slice(0, -suffix.length);
}

/** Per label set (without `le`): buckets ascending and cumulative, +Inf = _count. */
function checkHistogram(exposition: Exposition, family: string): void {
  const series = new Map<string, Sample[]>();
  for (const s of samplesOf(exposition, `${family}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${family}_bucket without le`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    const bounds = buckets.map((b) => (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le)));
    for (let i = 1; i < buckets.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!) || buckets[i]!.value < buckets[i - 1]!.value) {
        throw new Error(`${family} ${key}: buckets not ascending and cumulative`);
      }
    }
    if (bounds.at(-1) !== Infinity) throw new Error(`${family} ${key}: no +Inf bucket`);
    const labels = JSON.parse(key) as Record<string, string>;
    const count = samplesOf(exposition, `${family}_count`, labels).find(
      (s) => Object.keys(s.labels).length === Object.keys(labels).length,
    );
    if (count?.value !== buckets.at(-1)!.value) {
      throw new Error(
        `${family} ${key}: +Inf bucket ${buckets.at(-1)!.value}, count ${count?.value}`,
      );
    }
  }
}
