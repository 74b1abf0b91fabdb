import { describe, expect, it } from 'vitest';
import { DTypeError, EvalError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor } from '../tensor.js';
import { Dropout } from './dropout.js';

describe('Dropout', () => {
  const x = tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6]);
  it('is the identity in inference, or with ratio 0, with an all-true mask', () => {
    expect(inferOp(Dropout, [{ dtype: 'f32', shape: ['seq', 3] }], {}, { outputs: 2 })).toEqual([{ dtype: 'f32', shape: ['seq', 3] }, { dtype: 'bool', shape: ['seq', 3] }]);
    for (const inputs of [[x], [x, scalar('f32', 0.5)], [x, scalar('f32', 0), scalar('bool', true)], [x, scalar('f32', 0.9), scalar('bool', false)]]) {
      const [y, mask] = evaluateOp(Dropout, inputs, { seed: 3 }, 2);
      expect(y).toBe(x);
      expect(Array.from(mask!.data as Uint8Array)).toEqual([1, 1, 1, 1, 1, 1]);
    }
    expect(() => inferOp(Dropout, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
    expect(() => evaluateOp(Dropout, [x, scalar('f32', 1)])).toThrow(EvalError);
  });

  it('in training mode keeps elements with probability 1 - ratio, scaled, reproducibly per seed', () => {
    const big = tensor('f32', [4000], new Float32Array(4000).fill(2));
    const [y, mask] = evaluateOp(Dropout, [big, scalar('f32', 0.25), scalar('bool', true)], { seed: 7 }, 2);
    const kept = Array.from(mask!.data as Uint8Array).filter(Boolean).length;
    expect(kept / 4000).toBeGreaterThan(0.72);
    expect(kept / 4000).toBeLessThan(0.78);
    const out = y!.data as Float32Array;
    (mask!.data as Uint8Array).forEach((keep, i) => expect(out[i]).toBeCloseTo(keep ? 2 / 0.75 : 0, 5));
    const [again] = evaluateOp(Dropout, [big, scalar('f32', 0.25), scalar('bool', true)], { seed: 7 }, 2);
    expect(again!.data).toEqual(y!.data);
  });
});
