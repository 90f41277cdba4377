/**
 * Turns the text of a zone file into its top-level entries (owner name ->
 * records) as YNode pairs, fast.
 *
 * The chunked path splits the text at lines that start in column 0 (each is
 * one owner name; comments, blank lines and a leading `---` are skipped) and
 * parses each entry alone: with the fast subset parser when it can, else with
 * the `yaml` package. A whole-file parse is the fallback whenever the file is
 * not a plain block mapping (flow style at the top, directives, several
 * documents, a complex key) or an entry does not parse on its own (a syntax
 * error, an alias whose anchor lives in another entry). Both paths report
 * offsets into the whole text, so positions are exact either way.
 */
import { parseDocument, isMap, type Document } from 'yaml';
import { parseEntryFast } from './fast-yaml.js';
import { ComplexKey, UnresolvedAlias, fromYaml, type YPair } from './yaml-tree.js';

/** A problem found while parsing, at an offset into the whole text. */
export interface TextProblem {
  readonly offset: number;
  readonly message: string;
}

/** The parsed entries of a zone file, or the syntax problems that stopped it. */
export interface ZoneText {
  readonly entries: readonly YPair[];
  readonly problems: readonly TextProblem[];
  /** Which path produced the result (for tests and logs). */
  readonly path: 'chunked' | 'whole';
}

/** `auto` is production; the others force one parser so tests can compare them. */
export type ParseMode = 'auto' | 'yaml-entries' | 'whole';

const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false } as const;
const ENTRY_START = /[A-Za-z0-9_'".]/;
const DOC_START = /^---[ \t]*(#.*)?\r?$/;

/** Parses zone file text into top-level entries; see the module comment for the paths. */
export function parseZoneText(text: string, mode: ParseMode = 'auto'): ZoneText {
  const entries: YPair[] = [];
  const chunked = parseChunked(text, mode, (pair) => entries.push(pair));
  return chunked ? { entries, problems: [], path: 'chunked' } : parseWhole(text);
}

/**
 * The chunked path, streaming: hands each entry to `onEntry` as soon as it
 * is parsed, so its nodes die young. Returns false (after possibly having
 * handed out some entries) when the file needs the whole-file parse instead.
 */
export function parseChunked(text: string, mode: ParseMode, onEntry: (pair: YPair) => void) {
  const starts = mode === 'whole' ? undefined : splitEntries(text);
  if (!starts) return false;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] ?? 0;
    const end = starts[i + 1] ?? text.length;
    const fast = mode === 'auto' ? parseEntryFast(text, start, end) : undefined;
    const pair = fast ?? parseEntryWithYaml(text, start, end);
    if (!pair) return false;
    onEntry(pair);
  }
  return true;
}

/**
 * Offsets at which top-level entries start, or undefined when the text is not
 * a plain block mapping that can be split safely.
 */
function splitEntries(text: string): number[] | undefined {
  const starts: number[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < text.length) {
    let stop = text.indexOf('\n', pos);
    if (stop === -1) stop = text.length;
    const c = text[pos];
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '#') {
      const line = text.slice(pos, Math.min(stop, pos + 8));
      if (starts.length === 0 && DOC_START.test(text.slice(pos, stop))) {
        // a leading `---` (octodns-dump writes one) belongs to no entry
      } else if (starts.length > 0 && /^-[ \r]?$|^- /.test(line)) {
        // `- ` in column 0 is an item of the current entry's list, as octodns-dump writes it
      } else if (c !== undefined && ENTRY_START.test(c) && !line.startsWith('...')) {
        starts.push(pos);
      } else {
        return undefined;
      }
    }
    pos = stop + 1;
  }
  return starts;
}

function parseEntryWithYaml(text: string, start: number, end: number): YPair | undefined {
  const doc = parseDocument(text.slice(start, end), YAML_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.items.length !== 1) {
    return undefined;
  }
  try {
    const node = fromYaml(doc.contents, doc, start);
    return node?.kind === 'map' ? node.pairs[0] : undefined;
  } catch (err) {
    if (err instanceof UnresolvedAlias || err instanceof ComplexKey) return undefined;
    throw err;
  }
}

/** The whole-file path: one `yaml` parse of the entire text. */
export function parseWhole(text: string): ZoneText {
  const doc = parseDocument(text, YAML_OPTIONS);
  const problems: TextProblem[] = doc.errors.map((e) => ({
    offset: e.pos[0],
    message: `invalid YAML: ${e.message}`,
  }));
  if (problems.length > 0) return { entries: [], problems, path: 'whole' };
  if (doc.contents === null) return { entries: [], problems, path: 'whole' };
  if (!isMap(doc.contents)) {
    const offset = doc.contents.range?.[0] ?? 0;
    const message = 'expected a mapping of owner names to records';
    return { entries: [], problems: [{ offset, message }], path: 'whole' };
  }
  const entries: YPair[] = [];
  for (const item of doc.contents.items) {
    const pair = convertPair(item, doc, problems);
    if (pair) entries.push(pair);
  }
  return { entries, problems, path: 'whole' };
}

function convertPair(item: unknown, doc: Document, problems: TextProblem[]): YPair | undefined {
  const pair = item as { key: unknown; value: unknown };
  try {
    const key = fromYaml(pair.key, doc, 0);
    if (!key || key.kind !== 'scalar') throw new ComplexKey(key?.offset ?? 0);
    return { key, value: fromYaml(pair.value, doc, 0) };
  } catch (err) {
    if (err instanceof UnresolvedAlias) {
      problems.push({ offset: err.offset, message: `alias *${err.source} has no anchor` });
    } else if (err instanceof ComplexKey) {
      problems.push({ offset: err.offset, message: 'expected an owner name, got a complex key' });
    } else {
      throw err;
    }
    return undefined;
  }
}
