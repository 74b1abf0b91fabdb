import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Add, Div, Mod, Pow, Sub } from './binary-arithmetic.js';

describe('Pow', () => {
  it('broadcasts symbolically and keeps the base dtype when the exponent dtype differs', () => {
    expect(inferOp(Pow, [{ dtype: 'f16', shape: ['batch', 'seq', 64] }, { dtype: 'f32', shape: [] }])).toEqual([
      { dtype: 'f16', shape: ['batch', 'seq', 64] },
    ]);
    expect(inferOp(Pow, [{ dtype: 'i32', shape: [3, 1] }, { dtype: 'i64', shape: ['n'] }])).toEqual([{ dtype: 'i32', shape: [3, 'n'] }]);
  });

  it('computes powers with broadcasting', () => {
    const [z] = evaluateOp(Pow, [tensor('f32', [2, 2], [1, 2, 3, 4]), tensor('f32', [2], [2, 0.5])]);
    expect(toNumbers(z!)).toEqual([1, Math.SQRT2, 9, 2].map(Math.fround));
  });

  it('follows C pow for 1^NaN and (-1)^inf', () => {
    const [z] = evaluateOp(Pow, [tensor('f32', [3], [1, -1, 2]), tensor('f32', [3], [NaN, Infinity, -1])]);
    expect(toNumbers(z!)).toEqual([1, 1, 0.5]);
  });

  it('integer base with float exponent truncates; f16 base with i64 exponent stays f16', () => {
    const [zi] = evaluateOp(Pow, [tensor('i32', [3], [2, 3, -2]), tensor('f32', [3], [0.5, 2, 3])]);
    expect(zi!.dtype).toBe('i32');
    expect(toNumbers(zi!)).toEqual([1, 9, -8]);
    const [zh] = evaluateOp(Pow, [tensor('f16', [2], [3, 0.5]), tensor('i64', [1], [2n])]);
    expect(zh!.dtype).toBe('f16');
    expect(toNumbers(zh!)).toEqual([9, 0.25]);
  });

  it('rejects bool operands and shapes that do not broadcast', () => {
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2] }, { dtype: 'bool', shape: [2] }])).toThrow(/Y %in1 must be/);
    expect(() => inferOp(Pow, [{ dtype: 'f32', shape: [2, 3] }, { dtype: 'f32', shape: [4] }])).toThrow(ShapeError);
  });
});

describe('Mod', () => {
  const a = [-4, 7, 5, 4, -7, 8];
  const b = [2, -3, 8, -2, 3, 5];

  it('takes the divisor sign by default (Python %)', () => {
    expect(toNumbers(evaluateOp(Mod, [tensor('i32', [6], a), tensor('i32', [6], b)])[0]!)).toEqual([0, -2, 5, 0, 2, 3]);
    const big = evaluateOp(Mod, [tensor('i64', [2], [-(2n ** 60n) - 1n, 2n ** 60n + 1n]), tensor('i64', [], [4n])])[0]!;
    expect(Array.from(big.data as BigInt64Array)).toEqual([3n, 1n]);
  });

  it('takes the dividend sign with fmod = 1 (C fmod), for integers and floats', () => {
    expect(toNumbers(evaluateOp(Mod, [tensor('i64', [6], a), tensor('i64', [6], b)], { fmod: 1 })[0]!)).toEqual([0, 1, 5, 0, -1, 3]);
    const floats = toNumbers(evaluateOp(Mod, [tensor('f32', [4], [-4.3, 7.2, 5.0, -0.5]), tensor('f32', [4], [2.1, -3.4, 8.0, 0.2])], { fmod: 1 })[0]!);
    [-0.1, 0.4, 5, -0.1].forEach((expected, index) => expect(floats[index]).toBeCloseTo(expected, 5));
  });

  it('gives the dividend for an integer divisor of 0', () => {
    expect(toNumbers(evaluateOp(Mod, [tensor('i32', [2], [5, -5]), tensor('i32', [], [0])])[0]!)).toEqual([5, -5]);
  });

  it('refuses floats without fmod = 1, and fmod values other than 0 and 1', () => {
    expect(() => inferOp(Mod, [{ dtype: 'f32', shape: [2] }, { dtype: 'f32', shape: [2] }])).toThrow(/needs fmod = 1/);
    expect(() => inferOp(Mod, [{ dtype: 'i32', shape: [2] }, { dtype: 'i32', shape: [2] }], { fmod: 2 })).toThrow(AttributeError);
  });
});

describe('8-bit integers', () => {
  it('compute in i32 and wrap when stored, like C', () => {
    const [sum] = evaluateOp(Add, [tensor('i8', [3], [100, -100, 5]), tensor('i8', [3], [100, -100, -7])]);
    expect(sum!.dtype).toBe('i8');
    expect(toNumbers(sum!)).toEqual([-56, 56, -2]);
    expect(toNumbers(evaluateOp(Sub, [tensor('u8', [2], [3, 200]), tensor('u8', [2], [5, 100])])[0]!)).toEqual([254, 100]);
    expect(toNumbers(evaluateOp(Div, [tensor('u8', [2], [250, 7]), tensor('u8', [2], [3, 2])])[0]!)).toEqual([83, 3]);
    expect(toNumbers(evaluateOp(Mod, [tensor('i8', [2], [-7, 7]), tensor('i8', [2], [3, -3])])[0]!)).toEqual([2, -2]);
  });
});
