import { describe, it, expect } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Exp } from './exp.js';

describe('Exp', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Exp, [{ dtype: 'f16', shape: ['n', '?'] }])).toEqual([{ dtype: 'f16', shape: ['n', '?'] }]);
  });

  it('computes e^x, including the infinities', () => {
    const [y] = evaluateOp(Exp, [tensor('f32', [4], [0, 1, -Infinity, Infinity])]);
    const values = toNumbers(y!);
    expect(values[0]).toBe(1);
    expect(values[1]).toBeCloseTo(2.718281828, 6);
    expect(values[2]).toBe(0);
    expect(values[3]).toBe(Infinity);
  });

  it('overflows to inf in f16', () => {
    const [y] = evaluateOp(Exp, [tensor('f16', [2], [12, 0])]);
    expect(toNumbers(y!)).toEqual([Infinity, 1]); // e^12 ≈ 162755 > 65504
  });

  it('rejects bool input', () => {
    expect(() => inferOp(Exp, [{ dtype: 'bool', shape: [1] }])).toThrow(DTypeError);
  });
});
