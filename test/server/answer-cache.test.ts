/**
 * The answer cache keys on a hash of the raw question: letters in the name
 * match without regard to case, qtype octets match exactly, and the stored
 * question settles hash collisions.
 */
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/server/answer-cache.js';
import { hashQuestion } from '../../src/wire/index.js';
import { buildQuery } from '../support/raw.js';

/** A stand-in answer whose question is `name`/`type`, in lowercase. */
function answer(name: string, type: number, rcode = 0) {
  const full = buildQuery({ name: name.toLowerCase(), type, flags: 0x8400 });
  return { full, reduced: undefined, questionEnd: full.length, rcode, ede: 0 };
}

const nameEndOf = (msg: Buffer) => msg.length - 4;

describe('answer cache', () => {
  it('drops the answers read from a changed record and nothing else', () => {
    const cache = new AnswerCache();
    const find = (name: string) => {
      const asked = buildQuery({ name, type: 1 });
      return cache.find(hashQuestion(asked, 12, nameEndOf(asked)), asked, nameEndOf(asked));
    };
    cache.add(answer('www.example.com', 1), [7]);
    cache.add(answer('chain.example.com', 1), [7, 9]);
    cache.add(answer('api.example.com', 1), [9]);
    const plain = cache.add(answer('static.example.com', 1));

    expect(cache.drop([7])).toBe(2);
    expect(find('www.example.com')).toBe(0);
    expect(find('chain.example.com')).toBe(0);
    expect(find('api.example.com')).toBeGreaterThan(0);
    expect(find('static.example.com')).toBe(plain);
    // An answer added again after the drop is found again, in a fresh slot.
    const again = cache.add(answer('www.example.com', 1), [7]);
    expect(find('www.example.com')).toBe(again);
    expect(cache.drop([9])).toBe(1);
    expect(find('api.example.com')).toBe(0);
    expect(cache.drop([42])).toBe(0);
  });

  it('finds an answer for the same name in any case', () => {
    const cache = new AnswerCache();
    const ref = cache.add(answer('www.example.com', 1));
    const asked = buildQuery({ name: 'WwW.ExAmPle.COM', type: 1 });
    expect(cache.find(hashQuestion(asked, 12, nameEndOf(asked)), asked, nameEndOf(asked))).toBe(
      ref,
    );
  });

  it('tells apart qtypes whose octets look like letters (HTTPS is 0x0041)', () => {
    const cache = new AnswerCache();
    const https = cache.add(answer('svc.example.com', 65, 0));
    const type97 = cache.add(answer('svc.example.com', 97, 3));
    for (const [type, ref] of [
      [65, https],
      [97, type97],
    ] as const) {
      const asked = buildQuery({ name: 'svc.example.com', type });
      expect(cache.find(hashQuestion(asked, 12, nameEndOf(asked)), asked, nameEndOf(asked))).toBe(
        ref,
      );
    }
    expect(cache.rcode(type97)).toBe(3);
  });

  it('settles a hash collision by the stored question', () => {
    const cache = new AnswerCache();
    const ref = cache.add(answer('a.example.com', 1));
    const other = buildQuery({ name: 'b.example.com', type: 1 });
    const forged = hashQuestion(
      buildQuery({ name: 'a.example.com', type: 1 }),
      12,
      nameEndOf(other),
    );
    expect(cache.find(forged, other, nameEndOf(other))).toBe(0);
    expect(ref).toBeGreaterThan(0);
  });

  it('starts over when full and keeps answering', () => {
    const cache = new AnswerCache(4);
    for (let i = 0; i < 10; i++) cache.add(answer(`h${i}.example.com`, 1));
    expect(cache.size).toBeLessThanOrEqual(4);
    const asked = buildQuery({ name: 'h9.example.com', type: 1 });
    const ref = cache.find(hashQuestion(asked, 12, nameEndOf(asked)), asked, nameEndOf(asked));
    expect(cache.fullBytes(ref)).toBe(asked.length);
  });
});
