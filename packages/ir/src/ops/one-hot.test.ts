import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { OneHot } from './one-hot.js';

describe('OneHot', () => {
  const values = tensor('f32', [2], [0, 1]);
  it('inserts an axis of size depth (known, or left to the host)', () => {
    const indices = { dtype: 'i64' as const, shape: [2, 3] };
    const depth = { dtype: 'f32' as const, shape: [] };
    const on = { dtype: 'i32' as const, shape: [2] };
    expect(inferOp(OneHot, [indices, depth, on], {}, { constants: [undefined, tensor('f32', [], [4.7])] })[0]).toEqual({ dtype: 'i32', shape: [2, 3, 4] });
    expect(inferOp(OneHot, [indices, depth, on], { axis: 0 })[0]?.shape).toEqual(['?', 2, 3]);
    expect(() => inferOp(OneHot, [indices, depth, { dtype: 'i32', shape: [3] }])).toThrow(ShapeError);
    expect(() => inferOp(OneHot, [indices, depth, on], {}, { constants: [undefined, tensor('f32', [], [0])] })).toThrow(/must be at least 1/);
  });

  it('puts on at each index, wraps negative ones and leaves out-of-range rows off', () => {
    const [out] = evaluateOp(OneHot, [tensor('i64', [4], [1, -1, 3, -4]), tensor('i64', [], [3]), values]);
    expect(out?.shape).toEqual([4, 3]);
    expect(Array.from(out!.data as Float32Array)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const [axis0] = evaluateOp(OneHot, [tensor('f32', [2], [1.9, 0]), tensor('f32', [], [2]), tensor('i32', [2], [5, 7])], { axis: 0 });
    expect(axis0?.shape).toEqual([2, 2]);
    expect(Array.from(axis0!.data as Int32Array)).toEqual([5, 7, 7, 5]);
  });
});
