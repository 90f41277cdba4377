/**
 * vigil's error hierarchy. Every error vigil raises is a VigilError with a
 * stable `code`; callers branch on the code, never on the message. Expected
 * DNS outcomes (NXDOMAIN, NODATA, REFUSED) are values, not errors.
 */

/** Where in a source file a problem was found; lines and columns start at 1. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Base class: a stable code, a message that names the thing and its value. */
export class VigilError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
  }
}

/**
 * One configuration problem, formatted as
 * `file:line:col: key.path: expected X, got Y`.
 */
export interface ConfigProblem extends SourceLocation {
  /** Dotted key path inside the file, e.g. `www[1].value` or `server.listen[0]`. */
  path: string;
  /** The whole message after the path: `expected an IPv4 address, got "1.2.3"`. */
  message: string;
}

/** Formats one problem as the single line operators and tests read. */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** Every problem found in a configuration, reported at once. */
export class ConfigError extends VigilError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map(formatProblem);
    super('ERR_CONFIG', `${problems.length} configuration problem(s):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A socket that could not be bound or a listener that failed. */
export class ListenError extends VigilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_LISTEN', message, options);
    this.name = 'ListenError';
  }
}
