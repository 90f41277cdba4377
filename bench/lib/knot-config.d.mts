/** Text of a knot.conf serving one zone on 127.0.0.1 (see knot-config.mjs). */
export function knotConfigText(options: {
  dir: string;
  port: number;
  origin: string;
  zoneFile: string;
}): string;
