import { describe, expect, it } from 'vitest';
import { InferContext } from '../op-def.js';
import { evaluateOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Size } from './size.js';

describe('Size', () => {
  it('is the element count, known symbolically from the shape', () => {
    const node = { op: 'Size', inputs: ['x'], outputs: ['n'], attrs: {} };
    const ctx = new InferContext(node, Size, [{ dtype: 'f32', shape: ['batch', 'seq', 4] }], [], []);
    expect(Size.infer(ctx)).toEqual([{ dtype: 'i64', shape: [] }]);
    expect(Size.inferValue?.(ctx)).toEqual(['4*batch*seq']);
    const [out] = evaluateOp(Size, [tensor('f16', [3, 0, 2])]);
    expect(out?.shape).toEqual([]);
    expect(Array.from(out!.data as BigInt64Array)).toEqual([0n]);
    expect(Array.from(evaluateOp(Size, [tensor('bool', [2, 3])])[0]!.data as BigInt64Array)).toEqual([6n]);
  });
});
