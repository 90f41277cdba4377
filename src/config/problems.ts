/**
 * Collects configuration problems for one file and formats what was found
 * ("got ...") the same way everywhere.
 */
import type { ConfigProblem, SourceLocation } from '../errors.js';
import type { LineIndex, YNode } from './yaml-tree.js';

/** Gathers the problems of one file; offsets become line and column. */
export class ProblemSink {
  constructor(
    readonly file: string,
    private readonly lines: LineIndex,
    private readonly out: ConfigProblem[],
  ) {}

  /** Records a problem at a text offset (use -1 for "the file as a whole", reported at 1:1). */
  add(offset: number, path: string, message: string): void {
    const { line, col } = offset < 0 ? { line: 1, col: 1 } : this.lines.position(offset);
    this.out.push({ file: this.file, line, col, path, message });
  }

  /** Records `expected X, got <what the node is>` at the node (or at `fallbackOffset`). */
  expected(node: YNode | null, fallbackOffset: number, path: string, what: string): void {
    this.add(node?.offset ?? fallbackOffset, path, `expected ${what}, got ${describe(node)}`);
  }

  /** File, line and column of an offset, for objects that remember where they were declared. */
  locate(offset: number): SourceLocation {
    return { file: this.file, ...this.lines.position(offset) };
  }

  /** 1-based line of an offset, for messages that point at a second place. */
  lineOf(offset: number): number {
    return this.lines.position(offset).line;
  }

  /** Number of problems recorded so far across the shared list. */
  get count(): number {
    return this.out.length;
  }
}

/** Describes a node for the "got ..." half of a message. */
export function describe(node: YNode | null): string {
  if (node === null) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (typeof node.value === 'string') return JSON.stringify(node.value);
  return String(node.value);
}
