/**
 * Checks of failover and ALIAS records that need the whole configuration:
 * every `check:` names a check of the main file, and no ALIAS leads back to
 * itself through the names vigil serves. They run after every zone is
 * loaded, reused zones included, so a check removed from the main file is
 * caught even when the zone file that uses it did not change.
 */
import type { ConfigProblem } from '../errors.js';
import type { RecordSet, ZoneSource } from '../zone/types.js';

/** Problems of failover references and ALIAS loops; empty when there are none. */
export function checkFailoverRecords(
  zones: readonly ZoneSource[],
  checkNames: ReadonlySet<string>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const aliases: RecordSet[] = [];
  const next = new Map<string, string[]>();

  for (const zone of zones) {
    for (const set of zone.rrsets) {
      if (set.type === 'ALIAS') aliases.push(set);
      if (set.type === 'ALIAS' || set.type === 'CNAME') {
        const targets = (set as RecordSet<'CNAME'>).records.map((r) => r.target);
        next.set(set.name, targets);
      }
      set.failover?.targets.forEach((target, i) => {
        if (target.check === undefined || checkNames.has(target.check)) return;
        const defined = checkNames.size === 0 ? 'none are defined' : [...checkNames].join(', ');
        problems.push({
          ...target.source,
          path: `${set.name} failover[${i}].check`,
          message: `expected a check defined under "checks:" (${defined}), got "${target.check}"`,
        });
      });
    }
  }

  for (const alias of aliases) {
    const loop = loopFrom(alias.name, next);
    if (loop === undefined) continue;
    problems.push({
      ...alias.source,
      path: alias.name,
      message: `expected ALIAS targets that do not lead back to it, got ${loop.join(' -> ')}`,
    });
  }
  return problems;
}

/**
 * A path of CNAME and ALIAS targets, every alternative of a failover record
 * included, from `start` back to `start`; undefined when there is none.
 */
function loopFrom(
  start: string,
  next: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const visited = new Set<string>();
  const path = [start];
  const walk = (name: string): boolean => {
    for (const target of next.get(name) ?? []) {
      if (target === start) {
        path.push(target);
        return true;
      }
      if (visited.has(target)) continue;
      visited.add(target);
      path.push(target);
      if (walk(target)) return true;
      path.pop();
    }
    return false;
  };
  return walk(start) ? path : undefined;
}
