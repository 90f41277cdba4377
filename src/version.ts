/**
 * vigil's version, read once from package.json at start.
 */
import { readFileSync } from 'node:fs';

/** The version string of the running vigil. */
export const VERSION: string = (() => {
  const url = new URL('../package.json', import.meta.url);
  try {
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();
