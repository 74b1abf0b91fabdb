import { describe, it, expect } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Relu } from './relu.js';

describe('Relu', () => {
  it('accepts floats and ints with symbolic shapes', () => {
    expect(inferOp(Relu, [{ dtype: 'f32', shape: ['batch', 8] }])).toEqual([{ dtype: 'f32', shape: ['batch', 8] }]);
    expect(inferOp(Relu, [{ dtype: 'i64', shape: ['n'] }])).toEqual([{ dtype: 'i64', shape: ['n'] }]);
  });

  it('clamps negatives to zero', () => {
    const [y] = evaluateOp(Relu, [tensor('f32', [2, 3], [-2, -0.5, 0, 0.5, 3, -Infinity])]);
    expect(toNumbers(y!)).toEqual([0, 0, 0, 0.5, 3, 0]);
  });

  it('works on i64 and f16', () => {
    const [yi] = evaluateOp(Relu, [tensor('i64', [3], [-5n, 0n, 7n])]);
    expect(Array.from(yi!.data as BigInt64Array)).toEqual([0n, 0n, 7n]);
    const [yh] = evaluateOp(Relu, [tensor('f16', [2], [-1.5, 1.5])]);
    expect(yh!.dtype).toBe('f16');
    expect(toNumbers(yh!)).toEqual([0, 1.5]);
  });

  it('rejects bool input', () => {
    expect(() => inferOp(Relu, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Relu, [{ dtype: 'bool', shape: [2] }])).toThrow(/got bool\[2\]/);
  });
});
