/**
 * Domain name checks for owner names (relative to the zone, as octoDNS writes
 * them) and for hostnames inside record values (absolute, with a final dot).
 */
import type { ReadContext } from './value-read.js';
import { readString } from './value-read.js';
import type { YNode } from './yaml-tree.js';

/** Longest label in octets (RFC 1035 §2.3.4). */
export const MAX_LABEL_OCTETS = 63;
/** Longest name in wire octets, length bytes and root included (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;

const LABEL_CHARS = /^[a-z0-9_/-]+$/;

/**
 * Checks an absolute lowercase name ('www.example.com.'); returns what is
 * wrong with it, or undefined. A leading `*` label is allowed when `wildcard`.
 */
export function nameProblem(name: string, wildcard = false): string | undefined {
  if (name === '.') return undefined;
  if (!name.endsWith('.')) return 'expected an absolute name ending in "."';
  const labels = name.slice(0, -1).split('.');
  let octets = 1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? '';
    octets += label.length + 1;
    if (label === '') return 'expected no empty label (two dots in a row or a leading dot)';
    if (label === '*' && i === 0 && wildcard) continue;
    if (label.length > MAX_LABEL_OCTETS) {
      const got = `got "${label}" (${label.length} octets)`;
      return `expected labels of at most ${MAX_LABEL_OCTETS} octets (RFC 1035 §2.3.4), ${got}`;
    }
    if (!LABEL_CHARS.test(label)) {
      const hint = label.includes('*') ? ' ("*" is only a wildcard as the leftmost label)' : '';
      return `expected letters, digits, "-", "_" or "/" in label "${label}"${hint}`;
    }
  }
  if (octets > MAX_NAME_OCTETS) {
    return `expected a name of at most ${MAX_NAME_OCTETS} octets (RFC 1035 §2.3.4), got ${octets} octets`;
  }
  return undefined;
}

/**
 * Reads a hostname in a record value: absolute, returned lowercase. `.`
 * (the root) is accepted only when `allowRoot` (null MX, SRV and SVCB targets).
 */
export function readHostname(
  node: YNode | null,
  ctx: ReadContext,
  allowRoot = false,
): string | undefined {
  const text = readString(node, ctx, 'a hostname');
  if (text === undefined) return undefined;
  const name = text.toLowerCase();
  let problem: string | undefined;
  if (name === '.') {
    problem = allowRoot ? undefined : 'expected a hostname other than the root "."';
  } else if (!name.endsWith('.')) {
    problem = `expected an absolute name ending in ".", got ${JSON.stringify(text)} (did you mean "${text}."?)`;
  } else {
    problem = nameProblem(name);
    if (problem) problem = `${problem}, in ${JSON.stringify(text)}`;
  }
  if (problem === undefined) return name;
  ctx.sink.add(node?.offset ?? ctx.at, ctx.path, problem);
  return undefined;
}

/**
 * Turns an owner key of a zone file ('' apex, 'www', '*.sub') into an
 * absolute lowercase name, or returns a problem message.
 */
export function ownerName(key: string, origin: string): { name: string } | { problem: string } {
  if (key === '') return { name: origin };
  const lower = key.toLowerCase();
  if (lower.endsWith('.')) {
    const relative =
      lower === origin
        ? "''"
        : lower.endsWith(`.${origin}`)
          ? `"${key.slice(0, -origin.length - 1)}"`
          : undefined;
    const hint = relative ? ` (did you mean ${relative}?)` : '';
    return { problem: `expected a name relative to the zone, got "${key}"${hint}` };
  }
  const name = `${lower}.${origin === '.' ? '' : origin}`;
  const problem = nameProblem(name, true);
  return problem ? { problem } : { name };
}

/**
 * Reads a hostname written with or without the final dot ('www.example.net'),
 * as health checks take them; returned lowercase without the dot.
 */
export function readBareHostname(node: YNode | null, ctx: ReadContext): string | undefined {
  const text = readString(node, ctx, 'a hostname');
  if (text === undefined) return undefined;
  const name = text.toLowerCase().replace(/\.$/, '');
  // nameProblem allows "/" (RFC 2317 owner names); a host to connect to has none.
  const problem = name === '' || name.includes('/') ? 'bad' : nameProblem(`${name}.`);
  if (problem === undefined) return name;
  ctx.sink.expected(node, ctx.at, ctx.path, 'a hostname such as "www.example.net"');
  return undefined;
}
