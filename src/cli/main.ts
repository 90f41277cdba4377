#!/usr/bin/env node
/**
 * Entry point of the `vigil` executable; the commands live in cli.ts.
 */
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(`vigil: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
