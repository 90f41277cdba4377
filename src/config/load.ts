/**
 * Reads the main file and every zone file and validates them, collecting
 * every problem of every file. Runs on the main thread or in the load worker;
 * its result is plain data (structured-clone safe) and is frozen by index.ts.
 */
import { createHash } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { formatProblem, type ConfigProblem } from '../errors.js';
import type { CheckConfig } from '../health/types.js';
import type { ZoneSource } from '../zone/types.js';
import { parseMainFile } from './main-file.js';
import { nameProblem } from './names.js';
import { readCaFiles } from './check-tls.js';
import type { NotifyConfig, ServerConfig } from './types.js';
import { buildZone } from './zone-file.js';
import type { ParseMode } from './zone-text.js';

const ZONE_FILE = /^(.*)\.ya?ml$/i;

/** What a reload needs to know about a zone of the configuration it replaces. */
export interface PreviousZone {
  readonly contentHash: string;
  readonly serial: number;
}

/** A zone whose file is byte-for-byte unchanged: reuse the previous ZoneSource. */
export interface ReusedZone {
  readonly reuse: string;
}

/** The loader's unfrozen result, or every problem found. */
export type LoadOutcome =
  | {
      readonly ok: true;
      readonly file: string;
      readonly server: ServerConfig;
      readonly zonesDir: string;
      readonly zones: (ZoneSource | ReusedZone)[];
      readonly checks: CheckConfig[];
      readonly notify: NotifyConfig;
      /** Formatted like problems. */
      readonly warnings: string[];
    }
  | { readonly ok: false; readonly problems: ConfigProblem[] };

/**
 * Loads `mainFile` and its zone folder. `previous` maps zone file paths to
 * what the replaced configuration held; unchanged files come back as ReusedZone.
 */
export async function loadOutcome(
  mainFile: string,
  previous: ReadonlyMap<string, PreviousZone> = new Map(),
  mode: ParseMode = 'auto',
): Promise<LoadOutcome> {
  const file = resolve(mainFile);
  const problems: ConfigProblem[] = [];
  const text = await readText(file, problems);
  const main = text === undefined ? undefined : parseMainFile(file, text, problems);
  if (!main) return { ok: false, problems };
  const checks = await readCaFiles(main.checks.checks, main.checks.caFiles, main.sink);

  let names: string[];
  try {
    const entries = await readdir(main.zonesDir, { withFileTypes: true });
    names = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    main.sink.add(
      main.zonesOffset,
      'zones',
      `expected a readable folder, got ${reason} for ${main.zonesDir}`,
    );
    return { ok: false, problems };
  }

  const zones: (ZoneSource | ReusedZone)[] = [];
  const origins = new Map<string, string>();
  for (const name of names.sort()) {
    const match = ZONE_FILE.exec(name);
    if (!match || name.startsWith('.')) continue;
    const zoneFile = join(main.zonesDir, name);
    const origin = `${(match[1] ?? '').toLowerCase()}.`;
    const problem = nameProblem(origin);
    const other = origins.get(origin);
    if (problem || match[1] === '') {
      problems.push(
        at(
          zoneFile,
          `expected a file name of the form <origin>.yaml, got "${name}"` +
            (problem ? ` (${problem})` : ''),
        ),
      );
      continue;
    }
    if (other !== undefined) {
      problems.push(
        at(
          zoneFile,
          `expected one file per zone, got "${name}" and "${basename(other)}" for ${origin}`,
        ),
      );
      continue;
    }
    origins.set(origin, zoneFile);
    const zone = await loadZoneFile(zoneFile, origin, previous.get(zoneFile), problems, mode);
    if (zone) zones.push(zone);
  }
  if (problems.length > 0 || !main.server || !main.notify) {
    return { ok: false, problems: sortProblems(problems) };
  }
  const { server, zonesDir, notify } = main;
  const warnings = sortProblems(main.warnings).map(formatProblem);
  return { ok: true, file, server, zonesDir, zones, checks, notify, warnings };
}

async function loadZoneFile(
  file: string,
  origin: string,
  previous: PreviousZone | undefined,
  problems: ConfigProblem[],
  mode: ParseMode,
): Promise<ZoneSource | ReusedZone | undefined> {
  let bytes: Buffer;
  let mtimeSeconds: number;
  try {
    // One handle for both, so the mtime belongs to the bytes we read.
    const handle = await open(file, 'r');
    try {
      mtimeSeconds = Math.floor((await handle.stat()).mtimeMs / 1000);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    problems.push(
      at(file, `expected a readable file, got ${(err as NodeJS.ErrnoException).code ?? err}`),
    );
    return undefined;
  }
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  if (previous?.contentHash === contentHash) return { reuse: file };
  const text = bytes.toString('utf8');
  return buildZone(
    { file, origin, text, contentHash, mtimeSeconds, previousSerial: previous?.serial, mode },
    problems,
  );
}

async function readText(file: string, problems: ConfigProblem[]): Promise<string | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    problems.push(
      at(file, `expected a readable file, got ${(err as NodeJS.ErrnoException).code ?? err}`),
    );
    return undefined;
  }
}

/** Keeps files in the order they were read; within a file, orders by line and column. */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return problems.sort(
    (a, b) =>
      (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) ||
      a.line - b.line ||
      a.col - b.col,
  );
}

function at(file: string, message: string): ConfigProblem {
  return { file, line: 1, col: 1, path: '', message };
}
