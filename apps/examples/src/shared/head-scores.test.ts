import { tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { headName, headRole, scoreHeads } from './head-scores.js';

/** Attention [1, heads, seq, seq] where each head's row i puts all weight on key `pick(i)`. */
function oneHotAttention(seq: number, picks: ((query: number) => number)[]) {
  const data = new Float32Array(picks.length * seq * seq);
  picks.forEach((pick, head) => {
    for (let query = 0; query < seq; query++) data[(head * seq + query) * seq + pick(query)] = 1;
  });
  return tensor('f32', [1, picks.length, seq, seq], data);
}

describe('head scores', () => {
  const seq = 8;
  const pairs = [[{ query: 5, key: 2 }, { query: 6, key: 3 }]];
  const attention = oneHotAttention(seq, [(i) => Math.max(0, i - 1), (i) => i, (i) => (i === 5 ? 2 : i === 6 ? 3 : 0), () => 0]);
  const scores = scoreHeads(1, attention, pairs);

  it('measures previous-token, self, induction and BOS attention over positions i >= 1', () => {
    expect(scores[0]).toMatchObject({ previousToken: 1, self: 0, bos: 1 / 7 });
    expect(scores[1]).toMatchObject({ previousToken: 0, self: 1, bos: 0 });
    expect(scores[2]).toMatchObject({ induction: 1, bos: 5 / 7 });
    expect(scores[3]).toMatchObject({ induction: 0, bos: 1 });
  });

  it('names roles from the numbers', () => {
    expect(scores.map(headRole)).toEqual(['previous-token', 'self', 'induction', 'mixed']);
    expect(headRole({ ...scores[3], previousToken: 0.48, self: 0.22 })).toBe('partly previous-token');
    expect(headName(scores[2])).toBe('L1H2');
  });

  it('refuses tensors that are not [batch, heads, seq, seq]', () => {
    expect(() => scoreHeads(0, tensor('f32', [2, 3], new Float32Array(6)), [])).toThrow(/batch, heads, seq, seq/);
  });
});
