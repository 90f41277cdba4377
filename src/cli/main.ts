#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=30
/**
 * Entry point of the `vigil` executable; the commands live in cli.ts.
 *
 * The V8 flags on the first line are package.json's `config.nodeFlags`,
 * also used by `npm start`, the Dockerfile and the benchmark: a smaller young
 * generation and slower heap growth keep a 100,000-name server near 280 MB
 * resident instead of 400 MB, at the same query rate (docs/performance.md).
 */
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(
      `vigil: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
