import { describe, expect, it } from 'vitest';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { NonZero } from './non-zero.js';

describe('NonZero', () => {
  it('has a count only the contents decide', () => {
    expect(NonZero.dataDependentShape).toBe(true);
    expect(inferOp(NonZero, [{ dtype: 'f32', shape: [2, 'seq'] }])[0]).toEqual({ dtype: 'i64', shape: [2, '?'] });
  });

  it('lists coordinates in row-major order, one column per element (numpy.nonzero)', () => {
    const [out] = evaluateOp(NonZero, [tensor('f32', [2, 3], [0, 1.5, 0, -2, 0, Number.NaN])]);
    expect(out?.shape).toEqual([2, 3]);
    expect(Array.from(out!.data as BigInt64Array)).toEqual([0n, 1n, 1n, 1n, 0n, 2n]);
    expect(evaluateOp(NonZero, [tensor('i32', [3], [0, 0, 0])])[0]?.shape).toEqual([1, 0]);
    expect(Array.from(evaluateOp(NonZero, [tensor('bool', [], [true])])[0]!.shape)).toEqual([0, 1]);
  });
});
