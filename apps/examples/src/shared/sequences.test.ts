import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { inductionPairsOfRepeats, inductionPairsOfSegment, makeRepeatedSequence, repeatedTargets } from './sequences.js';

describe('induction task sequences', () => {
  it('makes sequences like the training data: BOS, a segment of distinct symbols, its repeat, filler from other symbols', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { ids, segment } = makeRepeatedSequence(mulberry32(seed), 48, 8 + (seed % 9), 48, 48);
      expect(ids).toHaveLength(48);
      expect(ids[0]).toBe(48);
      const source = ids.slice(segment.sourceStart, segment.sourceStart + segment.length);
      expect(ids.slice(segment.repeatStart, segment.repeatStart + segment.length)).toEqual(source);
      expect(new Set(source).size).toBe(segment.length);
      expect(segment.repeatStart).toBeGreaterThanOrEqual(segment.sourceStart + segment.length);
      const filler = ids.filter((_, position) => position > 0 && !inSegment(position, segment));
      expect(filler.some((id) => source.includes(id))).toBe(false);
    }
  });

  it('pairs each repeated position with the token after its earlier occurrence', () => {
    const segment = { sourceStart: 3, repeatStart: 29, length: 11 };
    const pairs = inductionPairsOfSegment(segment);
    expect(pairs[0]).toEqual({ query: 29, key: 4 });
    expect(pairs.at(-1)).toEqual({ query: 39, key: 14 });
    expect(repeatedTargets(segment)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
  });

  it('finds induction pairs in any sequence from earlier occurrences, ignoring BOS', () => {
    expect(inductionPairsOfRepeats([9, 1, 2, 3, 1, 2, 9], 9)).toEqual([
      { query: 4, key: 2 },
      { query: 5, key: 3 },
    ]);
  });
});

function inSegment(position: number, segment: { sourceStart: number; repeatStart: number; length: number }): boolean {
  const within = (start: number): boolean => position >= start && position < start + segment.length;
  return within(segment.sourceStart) || within(segment.repeatStart);
}
