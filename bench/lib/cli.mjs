// What every bench script does the same way: its `--name value` options over
// a table of defaults, its printing, and the load check before a run.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

/**
 * Parses `--key value` for every key of `defaults` (all strings) and the
 * boolean flags named in `flags`. arg(k) is the value or its default, num(k)
 * the same as a number, flag(k) whether the flag was given.
 */
export function options(defaults, flags = []) {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' }])),
      ...Object.fromEntries(flags.map((k) => [k, { type: 'boolean' }])),
    },
  });
  const arg = (k) => values[k] ?? defaults[k];
  return {
    arg,
    num: (k) => Number(arg(k)),
    flag: (k) => values[k] === true,
    /** Every option with the value it had in this run, for the results file. */
    all: () => Object.fromEntries(Object.keys(defaults).map((k) => [k, arg(k)])),
  };
}

export const say = (line) => console.log(line);

/** `v` with `digits` decimals, or '-' when there is no value. */
export const f = (v, digits = 2) =>
  v === null || v === undefined ? '-' : Number(v).toFixed(digits);

/** The 1-minute load average, with a warning when it will make the figures noisy. */
export function loadBeforeRun() {
  const [load1] = loadavg();
  if (load1 > 0.5) say(`warning: load average ${f(load1)} before the run; figures will be noisy`);
  return load1;
}
