import { describe, it, expect } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Tanh } from './tanh.js';

describe('Tanh', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Tanh, [{ dtype: 'f32', shape: ['b', 'hidden'] }])).toEqual([{ dtype: 'f32', shape: ['b', 'hidden'] }]);
  });

  it('matches (e^2x - 1) / (e^2x + 1)', () => {
    const xs = [-3, -0.5, 0, 0.25, 2];
    const [y] = evaluateOp(Tanh, [tensor('f32', [5], xs)]);
    const expected = xs.map((x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1));
    toNumbers(y!).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
  });

  it('saturates at ±1 for large inputs', () => {
    const [y] = evaluateOp(Tanh, [tensor('f32', [2], [100, -100])]);
    expect(toNumbers(y!)).toEqual([1, -1]);
  });

  it('rejects i32 input', () => {
    expect(() => inferOp(Tanh, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});
