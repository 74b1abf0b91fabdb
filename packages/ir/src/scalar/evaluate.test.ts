/**
 * The reference semantics of the scalar vocabulary: what every backend's
 * rendering is compared against. Integers wrap and divide without traps,
 * i64 is exact, conversions truncate and saturate, float edge cases follow
 * IEEE and C `pow`, functions evaluate their exact reference.
 */
import { describe, expect, it } from 'vitest';
import { compileScalarExpr } from './evaluate.js';
import * as s from './expr.js';

const x = s.input(0, 'f32');
const n = s.input(0, 'i32');
const m = s.input(1, 'i32');
const big = s.input(0, 'i64');

describe('scalar evaluation', () => {
  it('wraps i32 arithmetic and divides by zero and -1 without traps', () => {
    expect(compileScalarExpr(s.add(n, m))([2 ** 31 - 1, 1])).toBe(-(2 ** 31));
    expect(compileScalarExpr(s.mul(n, m))([65536, 65536])).toBe(0);
    expect(compileScalarExpr(s.div(n, m))([7, 0])).toBe(0);
    expect(compileScalarExpr(s.div(n, m))([-7, 2])).toBe(-3);
    expect(compileScalarExpr(s.div(n, m))([-(2 ** 31), -1])).toBe(-(2 ** 31));
  });

  it('keeps i64 exact beyond 2^53', () => {
    const one = s.constant(1, 'i64');
    expect(compileScalarExpr(s.add(big, one))([2n ** 60n])).toBe(2n ** 60n + 1n);
    expect(compileScalarExpr(s.convert(big, 'i32'))([2n ** 32n + 5n])).toBe(5);
    expect(compileScalarExpr(s.div(big, s.input(1, 'i64')))([9n, 0n])).toBe(0n);
  });

  it('converts floats by truncating and saturating, NaN to 0, anything to bool as x != 0', () => {
    expect(compileScalarExpr(s.convert(x, 'i32'))([-2.7])).toBe(-2);
    expect(compileScalarExpr(s.convert(x, 'i32'))([1e20])).toBe(2 ** 31 - 1);
    expect(compileScalarExpr(s.convert(x, 'i64'))([NaN])).toBe(0n);
    expect(compileScalarExpr(s.convert(x, 'bool'))([NaN])).toBe(1);
    expect(compileScalarExpr(s.convert(s.input(0, 'bool'), 'f32'))([1])).toBe(1);
  });

  it('follows IEEE and C pow on float edge cases, and rounds ties to even', () => {
    expect(compileScalarExpr(s.max(x, s.constant(0)))([NaN])).toBeNaN();
    expect(compileScalarExpr(s.pow(s.constant(1), x))([NaN])).toBe(1);
    expect(compileScalarExpr(s.pow(x, s.constant(0.5)))([-4])).toBeNaN();
    expect([0.5, 1.5, 2.5, -0.5, -1.5].map((value) => compileScalarExpr(s.round(x))([value]))).toEqual([0, 2, 2, -0, -2]);
  });

  it('takes logarithms with IEEE edges, truncates towards zero and tests for NaN', () => {
    expect([1, Math.E, 0, -1, Infinity].map((value) => compileScalarExpr(s.log(x))([value]))).toEqual([0, 1, -Infinity, NaN, Infinity]);
    expect([2.7, -2.7, -0.2].map((value) => compileScalarExpr(s.trunc(x))([value]))).toEqual([2, -2, -0]);
    expect(compileScalarExpr(s.trunc(n))([-7])).toBe(-7);
    expect([NaN, Infinity, 0].map((value) => compileScalarExpr(s.isNaN(x))([value]))).toEqual([1, 0, 0]);
    expect(() => s.isNaN(n)).toThrow(/isNaN tests f32 values/);
  });

  it('selects, compares and combines bools', () => {
    const positive = s.gt(x, s.constant(0));
    expect(compileScalarExpr(s.select(positive, x, s.neg(x)))([-3])).toBe(3);
    expect(compileScalarExpr(s.and(positive, s.not(s.eq(x, s.constant(2)))))([2])).toBe(0);
  });

  it('evaluates a function by its reference, not its body', () => {
    const approximate: s.ScalarFunction = { name: 'double', reference: (value) => 2 * value, body: (arg) => s.mul(arg, s.constant(2.5)) };
    expect(compileScalarExpr(s.call(approximate, x))([3])).toBe(6);
  });
});

describe('scalar expressions', () => {
  it('refuse operands of different types', () => {
    expect(() => s.add(x, n)).toThrow(/one type/);
    expect(() => s.select(x, x, x)).toThrow(/bool condition/);
  });

  it('count shared nodes once, inline calls and print', () => {
    const square = s.mul(x, x);
    const root = s.add(square, square);
    expect(s.useCounts(root).get(square)).toBe(2);
    expect(s.useCounts(root).get(x)).toBe(2);
    const twice: s.ScalarFunction = { name: 'twice', reference: (value) => 2 * value, body: (arg) => s.add(arg, arg) };
    const inlined = s.inlineCalls(s.call(twice, square));
    expect(s.printScalarExpr(inlined)).toBe('add(mul(in0:f32, in0:f32), mul(in0:f32, in0:f32))');
    expect(s.useCounts(inlined).get(square)).toBe(2);
  });
});
