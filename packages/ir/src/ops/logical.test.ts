/** Not, And, Or, Xor, IsNaN and IsInf on every combination of truth values and float classes. */
import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { And, IsInf, IsNaN, Not, Or, Xor } from './logical.js';

const a = tensor('bool', [2, 2], [false, false, true, true]);
const b = tensor('bool', [2], [false, true]);

describe('logic', () => {
  it('And, Or and Xor broadcast over every pair of truth values', () => {
    expect(toNumbers(evaluateOp(And, [a, b])[0]!)).toEqual([0, 0, 0, 1]);
    expect(toNumbers(evaluateOp(Or, [a, b])[0]!)).toEqual([0, 1, 1, 1]);
    expect(toNumbers(evaluateOp(Xor, [a, b])[0]!)).toEqual([0, 1, 1, 0]);
    expect(inferOp(Xor, [{ dtype: 'bool', shape: ['n', 1] }, { dtype: 'bool', shape: [3] }])).toEqual([{ dtype: 'bool', shape: ['n', 3] }]);
  });

  it('Not negates', () => {
    expect(toNumbers(evaluateOp(Not, [b])[0]!)).toEqual([1, 0]);
  });

  it('take bools only', () => {
    expect(() => inferOp(And, [{ dtype: 'i32', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
  });
});

describe('float classes', () => {
  const values = tensor('f32', [5], [NaN, Infinity, -Infinity, 0, -3.5]);

  it('IsNaN finds NaN only, in f32 and f16', () => {
    expect(toNumbers(evaluateOp(IsNaN, [values])[0]!)).toEqual([1, 0, 0, 0, 0]);
    expect(toNumbers(evaluateOp(IsNaN, [tensor('f16', [2], [NaN, 1])])[0]!)).toEqual([1, 0]);
  });

  it('IsInf detects the infinities its attributes ask for', () => {
    expect(toNumbers(evaluateOp(IsInf, [values])[0]!)).toEqual([0, 1, 1, 0, 0]);
    expect(toNumbers(evaluateOp(IsInf, [values], { detect_negative: 0 })[0]!)).toEqual([0, 1, 0, 0, 0]);
    expect(toNumbers(evaluateOp(IsInf, [values], { detect_positive: 0 })[0]!)).toEqual([0, 0, 1, 0, 0]);
    expect(toNumbers(evaluateOp(IsInf, [values], { detect_positive: 0, detect_negative: 0 })[0]!)).toEqual([0, 0, 0, 0, 0]);
  });
});
