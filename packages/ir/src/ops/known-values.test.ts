import { describe, expect, it } from 'vitest';
import type { Dim } from '../dim.js';
import { InferContext, type OpDef } from '../op-def.js';
import { Add } from './binary-arithmetic.js';
import { Equal } from './comparison.js';
import { knownEqual, knownSelect } from './known-values.js';
import { Where } from './where.js';

/** The known contents `def` infers for inputs of these known contents (i64 vectors; the first of Where is bool). */
function knownOutput(def: OpDef, known: readonly (readonly Dim[] | undefined)[]): readonly Dim[] | undefined {
  const types = known.map((value, index) => ({ dtype: def === Where && index === 0 ? ('bool' as const) : ('i64' as const), shape: [value?.length ?? 4] }));
  const node = { op: def.name, inputs: known.map((_, index) => `in${index}`), outputs: ['out'], attrs: {} };
  return def.inferValue!(new InferContext(node, def, types, known, known.map(() => undefined)));
}

describe('known contents through element-wise ops', () => {
  it('decides Equal where the sizes bound cannot change it: a size symbol is never negative', () => {
    expect(knownEqual(3, 3)).toBe(1);
    expect(knownEqual(3, 4)).toBe(0);
    expect(knownEqual('seq', 'seq')).toBe(1);
    expect(knownEqual('batch', -1)).toBe(0);
    expect(knownEqual(-1, 'batch')).toBe(0);
    expect(knownEqual('batch', 1)).toBeUndefined();
    expect(knownEqual('batch', 'seq')).toBeUndefined();
    expect(knownEqual('seq-4', -1)).toBeUndefined(); // a polynomial may be negative
    expect(knownEqual('?', '?')).toBeUndefined();
  });

  it('selects with Where where the condition is known, or where both sides agree', () => {
    expect(knownSelect([1, 'batch', 1])).toBe('batch');
    expect(knownSelect([0, 'batch', 1])).toBe(1);
    expect(knownSelect(['?', 'seq', 'seq'])).toBe('seq');
    expect(knownSelect(['?', 'seq', 1])).toBeUndefined();
    expect(knownSelect(['?', '?', '?'])).toBeUndefined();
  });

  it("folds PyTorch's expand target Where(Equal(shape, -1), 1, shape) to the shape with 1 for -1", () => {
    const shape = ['batch', 1, -1, -1];
    const condition = knownOutput(Equal, [shape, [-1, -1, -1, -1]]);
    expect(condition).toEqual([0, 0, 1, 1]);
    expect(knownOutput(Where, [condition, [1, 1, 1, 1], shape])).toEqual(['batch', 1, 1, 1]);
  });

  it('broadcasts a length-1 side, marks undecided elements ?, and knows nothing from an unknown input', () => {
    expect(knownOutput(Equal, [['batch', 2, 'seq'], [2]])).toEqual(['?', 1, '?']);
    expect(knownOutput(Add, [['seq', 2], [1]])).toEqual(['seq+1', 3]);
    expect(knownOutput(Equal, [['batch', 2], undefined])).toBeUndefined();
    expect(knownOutput(Equal, [[1, 2, 3], [1, 2]])).toBeUndefined();
  });
});
