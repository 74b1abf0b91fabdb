import { describe, expect, it } from 'vitest';
import type { Dim } from '../dim.js';
import { DTypeError, EvalError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, type Tensor } from '../tensor.js';
import { Range } from './range.js';

const I64: TensorType = { dtype: 'i64', shape: [] };
const F32: TensorType = { dtype: 'f32', shape: [] };

function rangeOf(types: TensorType[], known: (readonly Dim[] | undefined)[], constants: (Tensor | undefined)[] = []) {
  const ctx = new InferContext({ op: 'Range', inputs: ['a', 'b', 'c'], outputs: ['r'], attrs: {} }, Range, types, known, constants);
  return { type: Range.infer(ctx)[0], known: Range.inferValue?.(ctx) };
}

describe('Range inference', () => {
  it('computes the length from known scalars', () => {
    expect(rangeOf([I64, I64, I64], [[0], [10], [3]])).toEqual({ type: { dtype: 'i64', shape: [4] }, known: [0, 3, 6, 9] });
    expect(rangeOf([I64, I64, I64], [[5], [0], [-2]]).known).toEqual([5, 3, 1]);
    expect(rangeOf([I64, I64, I64], [[5], [0], [2]]).type?.shape).toEqual([0]);
    const floats = rangeOf([F32, F32, F32], [], [scalar('f32', 1), scalar('f32', 2), scalar('f32', 0.25)]);
    expect(floats).toEqual({ type: { dtype: 'f32', shape: [4] }, known: undefined });
  });

  it('gives a symbolic length for arange(seq)', () => {
    expect(rangeOf([I64, I64, I64], [[0], ['seq'], [1]]).type?.shape).toEqual(['seq']);
    expect(rangeOf([I64, I64, I64], [['past'], ['past+seq'], [1]]).type?.shape).toEqual(['seq']);
    expect(inferOp(Range, [I64, I64, I64])[0]).toEqual({ dtype: 'i64', shape: ['?'] });
  });

  it('rejects mixed dtypes, non-scalars and a zero delta', () => {
    expect(() => inferOp(Range, [I64, F32, I64])).toThrow(DTypeError);
    expect(() => inferOp(Range, [I64, F32, I64])).toThrow(/%in0 is i64\[\] but .*%in1 is f32\[\]/);
    expect(() => inferOp(Range, [{ dtype: 'bool', shape: [] }, I64, I64])).toThrow(DTypeError);
    expect(() => inferOp(Range, [I64, { dtype: 'i64', shape: [2] }, I64])).toThrow(ShapeError);
    expect(() => inferOp(Range, [I64, { dtype: 'i64', shape: [2] }, I64])).toThrow(/limit %in1 must be a scalar, got i64\[2\]/);
    expect(() => rangeOf([I64, I64, I64], [[0], [4], [0]])).toThrow(/delta %c is 0/);
  });
});

describe('Range evaluation', () => {
  it('counts in i64, i32 and f32', () => {
    const [ints] = evaluateOp(Range, [scalar('i64', 0), scalar('i64', 10), scalar('i64', 3)]);
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([0n, 3n, 6n, 9n]);
    const [down] = evaluateOp(Range, [scalar('i32', 5), scalar('i32', 0), scalar('i32', -2)]);
    expect(down?.dtype).toBe('i32');
    expect(Array.from(down!.data as Int32Array)).toEqual([5, 3, 1]);
    const [floats] = evaluateOp(Range, [scalar('f32', 1), scalar('f32', 2), scalar('f32', 0.25)]);
    expect(Array.from(floats!.data as Float32Array)).toEqual([1, 1.25, 1.5, 1.75]);
    const [empty] = evaluateOp(Range, [scalar('i64', 3), scalar('i64', 1), scalar('i64', 1)]);
    expect(empty?.shape).toEqual([0]);
  });

  it('fails on a zero delta', () => {
    const run = () => evaluateOp(Range, [scalar('i64', 0), scalar('i64', 1), scalar('i64', 0)]);
    expect(run).toThrow(EvalError);
    expect(run).toThrow(/delta %in2 is 0/);
  });
});
