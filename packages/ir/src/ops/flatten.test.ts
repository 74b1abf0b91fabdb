import { describe, expect, it } from 'vitest';
import { AttributeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Flatten } from './flatten.js';

describe('Flatten', () => {
  it('splits the dims at the axis (default 1, negative from the end, 0 and rank allowed)', () => {
    const x = { dtype: 'f32' as const, shape: [2, 3, 4, 5] };
    expect(inferOp(Flatten, [x])[0]?.shape).toEqual([2, 60]);
    expect(inferOp(Flatten, [x], { axis: 0 })[0]?.shape).toEqual([1, 120]);
    expect(inferOp(Flatten, [x], { axis: 4 })[0]?.shape).toEqual([120, 1]);
    expect(inferOp(Flatten, [x], { axis: -1 })[0]?.shape).toEqual([24, 5]);
    expect(inferOp(Flatten, [{ dtype: 'i64', shape: ['batch', 'seq', 8] }], { axis: 2 })[0]?.shape).toEqual(['batch*seq', 8]);
    expect(() => inferOp(Flatten, [x], { axis: 5 })).toThrow(AttributeError);
    expect(() => inferOp(Flatten, [x], { axis: -5 })).toThrow(/axis -5 is out of range for rank 4/);
  });

  it('keeps the elements, zero-size inputs included', () => {
    const [out] = evaluateOp(Flatten, [tensor('i32', [2, 1, 3], [1, 2, 3, 4, 5, 6])], { axis: 2 });
    expect(out?.shape).toEqual([2, 3]);
    expect(Array.from(out!.data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(evaluateOp(Flatten, [tensor('f32', [0, 4])], { axis: 1 })[0]?.shape).toEqual([0, 4]);
    expect(evaluateOp(Flatten, [tensor('f32', [3, 0])], { axis: 1 })[0]?.shape).toEqual([3, 0]);
  });
});
