import { describe, expect, it } from 'vitest';
import { CheckState, HISTORY_LIMIT } from '../../src/health/index.js';
import { result } from './helpers.js';

function stateOf(initial: 'up' | 'down', rise: number, fall: number): CheckState {
  return new CheckState({ name: 'web', initial, rise, fall }, 1000);
}

/** Feeds a pass/fail string ('+' pass, '-' fail) and lists the transitions as 'up'/'down' at index. */
function feed(state: CheckState, pattern: string): string[] {
  const changes: string[] = [];
  [...pattern].forEach((mark, index) => {
    const transition = state.record(result(mark === '+', 2000 + index));
    if (transition) changes.push(`${transition.to}@${index}`);
  });
  return changes;
}

describe('CheckState', () => {
  it.each([
    // initial, rise, fall, results, expected transitions
    ['up', 2, 3, '--', []],
    ['up', 2, 3, '---', ['down@2']],
    ['up', 2, 3, '--+--', []],
    ['up', 2, 3, '---+', ['down@2']],
    ['up', 2, 3, '---++', ['down@2', 'up@4']],
    ['up', 1, 1, '-+-+', ['down@0', 'up@1', 'down@2', 'up@3']],
    ['down', 2, 3, '+', []],
    ['down', 2, 3, '++', ['up@1']],
    ['down', 2, 3, '+-+-+-+-', []],
    ['down', 3, 1, '++-+++', ['up@5']],
    ['down', 1, 2, '+----', ['up@0', 'down@2']],
    ['up', 2, 2, '+-+-+-+-+-', []],
    ['up', 5, 5, '+++++-----', ['down@9']],
  ] as const)('%s rise %i fall %i after %s changes %j', (initial, rise, fall, pattern, want) => {
    expect(feed(stateOf(initial, rise, fall), pattern)).toEqual(want);
  });

  it('counts passes and failures in a row, resetting the other on each result', () => {
    const state = stateOf('up', 2, 3);
    feed(state, '++-');
    expect(state.snapshot()).toMatchObject({ passes: 0, failures: 1 });
    feed(state, '++');
    expect(state.snapshot()).toMatchObject({ passes: 2, failures: 0 });
  });

  it('never transitions while flapping below both thresholds', () => {
    const state = stateOf('up', 3, 3);
    expect(feed(state, '--++--++--++--++')).toEqual([]);
    expect(state.state).toBe('up');
  });

  it('reports the deciding results, reason and time on a transition', () => {
    const state = stateOf('up', 2, 2);
    state.record(result(true, 10));
    state.record(result(false, 20, 'connect ECONNREFUSED'));
    const transition = state.record(result(false, 30, 'timeout after 500 ms'));
    expect(transition).toMatchObject({
      check: 'web',
      from: 'up',
      to: 'down',
      reason: 'timeout after 500 ms',
      at: 31,
    });
    expect(transition?.results.map((r) => r.at)).toEqual([20, 30]);
    expect(state.snapshot()).toMatchObject({ state: 'down', since: 31 });
  });

  it('keeps since at creation until the first transition', () => {
    const state = stateOf('down', 2, 2);
    state.record(result(true, 5000));
    expect(state.snapshot()).toMatchObject({ state: 'down', since: 1000 });
  });

  it(`keeps only the last ${HISTORY_LIMIT} results, oldest first`, () => {
    const state = stateOf('up', 1, 1);
    for (let i = 0; i < 45; i += 1) state.record(result(true, i));
    const history = state.snapshot().history;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]?.at).toBe(25);
    expect(history.at(-1)?.at).toBe(44);
  });

  it('treats thresholds below 1 as 1', () => {
    expect(feed(stateOf('up', 0, 0), '-+')).toEqual(['down@0', 'up@1']);
  });
});
