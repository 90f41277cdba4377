// The knot.conf that the benchmark and the differential tests both run Knot
// DNS with: one zone, unsigned, one UDP worker (and one of each other kind),
// everything kept inside `dir`, warnings to stderr.

/**
 * Text of a knot.conf serving `origin` (absolute, with the trailing dot)
 * from `zoneFile` on 127.0.0.1 at `port`.
 */
export function knotConfigText({ dir, port, origin, zoneFile }) {
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${port}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: "${dir}"`,
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    semantic-checks: off',
    // Never write the zone back or keep a journal: the file is the zone.
    '    zonefile-sync: -1',
    '    journal-content: none',
    'zone:',
    `  - domain: "${origin}"`,
    `    file: "${zoneFile}"`,
    '',
  ].join('\n');
}
