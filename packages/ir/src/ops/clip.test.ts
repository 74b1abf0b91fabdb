/** Clip with both, one or neither bound, integer and float, and a min above the max. */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Clip } from './clip.js';

const x = tensor('f32', [5], [-3, -1, 0, 2, NaN]);
const scalar = (value: number) => tensor('f32', [], [value]);

describe('Clip', () => {
  it('limits to [min, max], keeping NaN', () => {
    expect(toNumbers(evaluateOp(Clip, [x, scalar(-1.5), scalar(1)])[0]!)).toEqual([-1.5, -1, 0, 1, NaN]);
  });

  it('leaves an omitted side unbounded', () => {
    expect(toNumbers(evaluateOp(Clip, [x, undefined, scalar(0)])[0]!)).toEqual([-3, -1, 0, 0, NaN]);
    expect(toNumbers(evaluateOp(Clip, [x, scalar(0)])[0]!)).toEqual([0, 0, 0, 2, NaN]);
    expect(toNumbers(evaluateOp(Clip, [x])[0]!)).toEqual([-3, -1, 0, 2, NaN]);
  });

  it('gives max everywhere when min is above it', () => {
    expect(toNumbers(evaluateOp(Clip, [x, scalar(2), scalar(1)])[0]!).slice(0, 4)).toEqual([1, 1, 1, 1]);
  });

  it('clips integers exactly', () => {
    const big = evaluateOp(Clip, [tensor('i64', [3], [-(2n ** 50n), 5n, 2n ** 50n]), tensor('i64', [], [-(2n ** 40n)]), tensor('i64', [], [2n ** 40n])])[0]!;
    expect(Array.from(big.data as BigInt64Array)).toEqual([-(2n ** 40n), 5n, 2n ** 40n]);
  });

  it('keeps the input type and needs scalar bounds of its dtype', () => {
    expect(inferOp(Clip, [{ dtype: 'f16', shape: ['n', 3] }, undefined, { dtype: 'f16', shape: [1] }])).toEqual([{ dtype: 'f16', shape: ['n', 3] }]);
    expect(() => inferOp(Clip, [{ dtype: 'f32', shape: [3] }, { dtype: 'f32', shape: [3] }])).toThrow(ShapeError);
    expect(() => inferOp(Clip, [{ dtype: 'f32', shape: [3] }, { dtype: 'i32', shape: [] }])).toThrow(/expected the same dtype/);
  });
});
