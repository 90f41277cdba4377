/**
 * Runs the real `dig` against a server and parses its presentation output, so
 * tests can compare vigil with reference servers through the same client an
 * operator would use.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where dig lives on Debian (package bind9-dnsutils); overridable with VIGIL_DIG. */
export const DEFAULT_DIG_PATH = process.env.VIGIL_DIG ?? '/usr/bin/dig';

/** dig's own per-try wait; the whole run gets this plus a margin as a kill timer. */
const DEFAULT_DIG_TIME_SECONDS = 2;

/** One resource record as dig prints it; `data` has its whitespace collapsed. */
export interface Rr {
  name: string;
  ttl: number;
  class: string;
  type: string;
  data: string;
}

/** The OPT pseudo-record, when the response carried one (RFC 6891 §6.1). */
export interface DigEdns {
  version: number;
  udp: number;
  /** Named EDNS flags dig printed, e.g. `['do']`. */
  flags: string[];
}

/** RCODEs dig names in its header line; other values pass through as dig spells them. */
export type Rcode =
  | 'NOERROR'
  | 'FORMERR'
  | 'SERVFAIL'
  | 'NXDOMAIN'
  | 'NOTIMP'
  | 'REFUSED'
  | 'BADVERS'
  | (string & {});

/** A parsed dig run. `additional` never contains the OPT pseudo-record. */
export interface DigResult {
  rcode: Rcode;
  /** Header flags in the order dig printed them: qr aa tc rd ra ad cd. */
  flags: string[];
  answer: Rr[];
  authority: Rr[];
  additional: Rr[];
  edns: DigEdns | null;
  raw: string;
}

/** Query options; `bufsize: false` sends no OPT record at all (`+noedns`). */
export interface DigOptions {
  tcp?: boolean;
  bufsize?: number | false;
  dnssec?: boolean;
  /** Further dig arguments, appended last so they win over the defaults above. */
  extra?: string[];
}

/** The server to query. */
export interface DigServer {
  host: string;
  port: number;
}

/**
 * Sends one query with /usr/bin/dig and parses the reply. dig's defaults are
 * kept (recursion desired, EDNS on) except that cookies are off so two servers'
 * answers compare equal, and one 2 s try so a dead server fails fast. Rejects
 * when dig gets no reply or its output has no header.
 */
export async function dig(
  server: DigServer,
  name: string,
  type: string,
  opts: DigOptions = {},
): Promise<DigResult> {
  const args = [
    `@${server.host}`,
    '-p',
    String(server.port),
    name,
    type,
    '+nocookie',
    `+time=${DEFAULT_DIG_TIME_SECONDS}`,
    '+tries=1',
  ];
  if (opts.tcp) args.push('+tcp');
  if (opts.bufsize === false) args.push('+noedns');
  else if (opts.bufsize !== undefined) args.push(`+bufsize=${opts.bufsize}`);
  if (opts.dnssec) args.push('+dnssec');
  args.push(...(opts.extra ?? []));

  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(DEFAULT_DIG_PATH, args, {
      timeout: (DEFAULT_DIG_TIME_SECONDS + 3) * 1000,
    }));
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? '';
    const query = `${name}/${type} at ${server.host}#${server.port}`;
    throw new Error(`dig ${query} failed: ${firstCommentLine(out) ?? String(err)}`, {
      cause: err,
    });
  }
  return parseDigOutput(stdout);
}

/**
 * Parses the output of one dig query (default `+cmd` layout, one RR per line).
 * Exported for tests that feed it captured text.
 */
export function parseDigOutput(raw: string): DigResult {
  const header = /->>HEADER<<- opcode: \S+, status: (\S+),/.exec(raw);
  if (!header?.[1]) {
    throw new Error(`dig output has no header line: ${firstCommentLine(raw) ?? '(empty)'}`);
  }
  const flagsLine = /^;; flags:([^;]*);/m.exec(raw);
  const result: DigResult = {
    rcode: header[1],
    flags: (flagsLine?.[1] ?? '').trim().split(/\s+/).filter(Boolean),
    answer: [],
    authority: [],
    additional: [],
    edns: parseEdns(raw),
    raw,
  };

  // dig prints ";; ANSWER SECTION:" and friends, then one RR per line, then a
  // blank line; the QUESTION and OPT PSEUDOSECTION lines start with ';' and
  // are skipped by the RR reader.
  let section: Rr[] | null = null;
  for (const line of raw.split('\n')) {
    const heading = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (heading) {
      section = sectionFor(result, heading[1]!);
      continue;
    }
    if (line.trim() === '' || line.startsWith(';')) {
      if (line.trim() === '' || line.startsWith(';;')) section = null;
      continue;
    }
    if (section) section.push(parseRr(line));
  }
  return result;
}

function sectionFor(result: DigResult, heading: string): Rr[] {
  if (heading === 'ANSWER') return result.answer;
  if (heading === 'AUTHORITY') return result.authority;
  return result.additional;
}

/** Reads `; EDNS: version: 0, flags: do; udp: 1232` (RFC 6891 §6.1.3 fields). */
function parseEdns(raw: string): DigEdns | null {
  const m = /^; EDNS: version: (\d+), flags:([^;]*);.*?udp: (\d+)/m.exec(raw);
  if (!m) return null;
  return {
    version: Number(m[1]),
    udp: Number(m[3]),
    flags: m[2]!.trim().split(/\s+/).filter(Boolean),
  };
}

/** Splits `owner ttl class type rdata...`; rdata keeps quoted runs intact. */
function parseRr(line: string): Rr {
  const m = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
  if (!m) throw new Error(`dig printed an RR line we cannot read: ${JSON.stringify(line)}`);
  return {
    name: m[1]!,
    ttl: Number(m[2]),
    class: m[3]!,
    type: m[4]!,
    data: collapseSpaces(m[5]!),
  };
}

/** Collapses runs of blanks to one space, except inside "quoted" strings. */
function collapseSpaces(data: string): string {
  let out = '';
  let quoted = false;
  let pendingSpace = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (!quoted && (c === ' ' || c === '\t')) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += c;
    if (c === '\\' && i + 1 < data.length) out += data[++i];
    else if (c === '"') quoted = !quoted;
  }
  return out;
}

function firstCommentLine(out: string): string | undefined {
  return out.split('\n').find((l) => /^;; (communications error|no servers|connection)/.test(l));
}

// Types whose RDATA may carry case that matters (free text); every other
// type's presentation form is names, numbers and addresses, where case does
// not (RFC 4343 §3).
const CASE_SENSITIVE_RDATA = new Set(['TXT', 'SPF', 'CAA', 'HINFO', 'NAPTR']);

/**
 * Returns a copy of `result` in a canonical form for comparing two servers:
 * owner names (and RDATA of types without free text) lowercased, RRs sorted
 * within each section, header flags sorted, `raw` emptied. TTLs are kept, so
 * servers that disagree on TTL still compare unequal.
 */
export function normaliseForCompare(result: DigResult): DigResult {
  return {
    rcode: result.rcode,
    flags: [...result.flags].sort(),
    answer: normaliseSection(result.answer),
    authority: normaliseSection(result.authority),
    additional: normaliseSection(result.additional),
    edns: result.edns && { ...result.edns, flags: [...result.edns.flags].sort() },
    raw: '',
  };
}

function normaliseSection(rrs: Rr[]): Rr[] {
  const out = rrs.map((rr) => ({
    ...rr,
    name: rr.name.toLowerCase(),
    class: rr.class.toUpperCase(),
    type: rr.type.toUpperCase(),
    data: CASE_SENSITIVE_RDATA.has(rr.type.toUpperCase()) ? rr.data : rr.data.toLowerCase(),
  }));
  const key = (rr: Rr) => `${rr.name} ${rr.type} ${rr.class} ${rr.ttl} ${rr.data}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
