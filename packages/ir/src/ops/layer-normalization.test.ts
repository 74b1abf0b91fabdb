import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { LayerNormalization } from './layer-normalization.js';

describe('LayerNormalization', () => {
  const x = { dtype: 'f32' as const, shape: ['batch', 'seq', 768] };
  const w = { dtype: 'f32' as const, shape: [768] };

  it('infers Y and the optional Mean / InvStdDev symbolically', () => {
    expect(inferOp(LayerNormalization, [x, w, w], {}, { outputs: 1 })).toEqual([x]);
    expect(inferOp(LayerNormalization, [x, w, undefined], {}, { outputs: 3 })).toEqual([
      x,
      { dtype: 'f32', shape: ['batch', 'seq', 1] },
      { dtype: 'f32', shape: ['batch', 'seq', 1] },
    ]);
    const out = inferOp(LayerNormalization, [{ dtype: 'f16', shape: ['b', 4, 8] }, { dtype: 'f16', shape: [1, 8] }], { axis: 1 }, { outputs: 2 });
    expect(out).toEqual([
      { dtype: 'f16', shape: ['b', 4, 8] },
      { dtype: 'f32', shape: ['b', 1, 1] },
    ]);
  });

  it('normalises the last axis, then scales and shifts', () => {
    // Row [1, 2, 3, 4]: mean 2.5, variance 1.25. Row [2, 2, 2, 2]: mean 2, variance 0.
    const eps = 1e-5;
    const scale = [1, 2, 0.5, -1];
    const bias = [0, 1, 0, -1];
    const [y, mean, inv] = evaluateOp(
      LayerNormalization,
      [tensor('f32', [2, 4], [1, 2, 3, 4, 2, 2, 2, 2]), tensor('f32', [4], scale), tensor('f32', [4], bias)],
      { epsilon: eps },
      3,
    );
    const invStd = 1 / Math.sqrt(1.25 + eps);
    const expected = [-1.5, -0.5, 0.5, 1.5].map((d, i) => d * invStd * scale[i] + bias[i]).concat(bias);
    toNumbers(y!).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(mean!.shape).toEqual([2, 1]);
    expect(toNumbers(mean!)).toEqual([2.5, 2]);
    expect(toNumbers(inv!)[0]).toBeCloseTo(invStd, 5);
    expect(toNumbers(inv!)[1]).toBeCloseTo(1 / Math.sqrt(eps), 1);
  });

  it('normalises over several axes with a broadcast scale', () => {
    // axis=1 over [2, 2]: values 0, 2, 4, 6 -> mean 3, variance 5.
    const [y] = evaluateOp(LayerNormalization, [tensor('f32', [1, 2, 2], [0, 2, 4, 6]), tensor('f32', [1], [2])], { axis: 1, epsilon: 0 });
    const s = 1 / Math.sqrt(5);
    toNumbers(y!).forEach((v, i) => expect(v).toBeCloseTo(2 * (i * 2 - 3) * s, 5));
  });

  it('computes f16 in wide precision', () => {
    const [y, mean] = evaluateOp(LayerNormalization, [tensor('f16', [1, 2], [1000, 1002]), tensor('f16', [2], [1, 1])], { epsilon: 0 }, 2);
    expect(y!.dtype).toBe('f16');
    expect(toNumbers(y!)).toEqual([-1, 1]);
    expect(mean!.dtype).toBe('f32');
    expect(toNumbers(mean!)).toEqual([1001]);
  });

  it('rejects a Scale that does not broadcast, bad axis, dtype mismatch and stash_type', () => {
    expect(() => inferOp(LayerNormalization, [x, { dtype: 'f32', shape: [512] }])).toThrow(ShapeError);
    expect(() => inferOp(LayerNormalization, [x, { dtype: 'f32', shape: [512] }])).toThrow(
      /Scale %in1 is f32\[512\] but must broadcast to the normalized shape \[768\]/,
    );
    expect(() => inferOp(LayerNormalization, [x, w, { dtype: 'f32', shape: ['seq', 768] }])).toThrow(/B %in2/);
    expect(() => inferOp(LayerNormalization, [x, w], { axis: 3 })).toThrow(/axis 3 is out of range for rank 3/);
    expect(() => inferOp(LayerNormalization, [x, { dtype: 'f16', shape: [768] }])).toThrow(DTypeError);
    expect(() => inferOp(LayerNormalization, [x, w], { stash_type: 10 })).toThrow(AttributeError);
  });
});
