import { describe, expect, it } from 'vitest';
import { ArityError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { RMSNormalization } from './rms-normalization.js';

describe('RMSNormalization', () => {
  it('infers Y only, symbolically, and checks Scale against the normalised shape', () => {
    const x = { dtype: 'f32' as const, shape: ['batch', 'seq', 64] };
    expect(inferOp(RMSNormalization, [x, { dtype: 'f32', shape: [64] }])).toEqual([x]);
    expect(inferOp(RMSNormalization, [x, { dtype: 'f32', shape: ['seq', 64] }], { axis: 1 })).toEqual([x]);
    expect(() => inferOp(RMSNormalization, [x, { dtype: 'f32', shape: [32] }])).toThrow(ShapeError);
    expect(() => inferOp(RMSNormalization, [x])).toThrow(ArityError);
  });

  it('divides by the root mean square (no centring) and scales', () => {
    const x = tensor('f32', [2, 2], [3, 4, 1, -1]);
    const [y] = evaluateOp(RMSNormalization, [x, tensor('f32', [2], [1, 2])], { epsilon: 0 });
    const [first, second] = [Math.sqrt(12.5), 1];
    expect(toNumbers(y!)).toEqual([3 / first, 8 / first, 1 / second, -2 / second].map(Math.fround));
    const [all] = evaluateOp(RMSNormalization, [x, tensor('f32', [1], [1])], { axis: 0, epsilon: 0 });
    const rms = Math.sqrt((9 + 16 + 1 + 1) / 4);
    expect(toNumbers(all!)).toEqual([3, 4, 1, -1].map((value) => Math.fround(value / rms)));
  });
});
