/**
 * Work over thousands of checks, cut into slices with a yield to the event
 * loop between them, so answering queries goes on while a scrape or a
 * status request is written.
 */

/** Checks handled between two yields to the event loop. */
export const DEFAULT_CHECKS_PER_SLICE = 250;

/** `write` over `items`, one chunk per slice, yielding to the event loop between slices. */
export async function inSlices<T>(
  items: readonly T[],
  write: (item: T, index: number) => string,
): Promise<string[]> {
  const chunks: string[] = [];
  for (let start = 0; start < items.length; start += DEFAULT_CHECKS_PER_SLICE) {
    if (start > 0) await yieldToEventLoop();
    let chunk = '';
    const end = Math.min(items.length, start + DEFAULT_CHECKS_PER_SLICE);
    for (let i = start; i < end; i++) chunk += write(items[i]!, i);
    chunks.push(chunk);
  }
  return chunks;
}

/** Resolves after the I/O callbacks that are due have run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
