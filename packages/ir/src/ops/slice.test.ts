import { describe, expect, it } from 'vitest';
import type { Dim } from '../dim.js';
import { DTypeError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { sliceDim, Slice, sliceStart } from './slice.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const vec = (count: number): TensorType => ({ dtype: 'i64', shape: [count] });
const i64 = (...values: bigint[]) => tensor('i64', [values.length], new BigInt64Array(values));

/** Infers Slice of `data` with known starts, ends and optional axes / steps. */
function sliceShape(data: TensorType, starts: Dim[], ends: Dim[], axes?: Dim[], steps?: Dim[]) {
  const inputs = [data, vec(starts.length), vec(ends.length), axes && vec(axes.length), steps && vec(steps.length)];
  return inferOp(Slice, inputs, {}, { known: [undefined, starts, ends, axes, steps] })[0]?.shape;
}

describe('Slice inference', () => {
  it('computes static sizes with negative indices, clamping and steps', () => {
    const data: TensorType = { dtype: 'f32', shape: [10, 8] };
    expect(sliceShape(data, [1], [-1], [0])).toEqual([8, 8]);
    expect(sliceShape(data, [0, 2], [Number(INT64_MAX), 6], undefined, [3, 1])).toEqual([4, 4]);
    expect(sliceShape(data, [-1], [Number(INT64_MIN)], [-2], [-1])).toEqual([10, 8]);
    expect(sliceShape(data, [5], [2], [1])).toEqual([10, 0]);
    expect(sliceShape(data, [-100], [3], [1])).toEqual([10, 3]);
  });

  it('works on symbolic dims and symbolic bounds', () => {
    const x: TensorType = { dtype: 'f32', shape: ['batch', 'seq', 64] };
    expect(sliceShape(x, [1], [Number(INT64_MAX)], [1])).toEqual(['batch', 'seq-1', 64]);
    expect(sliceShape(x, [0], [Number(INT64_MAX)], [1])).toEqual(['batch', 'seq', 64]);
    expect(sliceShape(x, [-1], [Number(INT64_MAX)], [-2])).toEqual(['batch', 1, 64]);
    expect(sliceShape(x, [0], [-1], [1])).toEqual(['batch', 'seq-1', 64]);
    expect(sliceShape(x, [-1], [Number(INT64_MIN)], [1], [-1])).toEqual(['batch', 'seq', 64]);
    const mask: TensorType = { dtype: 'bool', shape: [1, 1, 2048, 2048] };
    expect(sliceShape(mask, [0, 0], ['seq', 'seq'], [2, 3])).toEqual([1, 1, 'seq', 'seq']);
    expect(sliceShape({ dtype: 'f32', shape: ['total', 64] }, ['past'], ['past+seq'], [0])).toEqual(['seq', 64]);
    expect(sliceDim('seq', 0, Number(INT64_MAX), 2)).toBe('?');
    expect(sliceDim('2*seq', 0, Number(INT64_MAX), 2)).toBe('seq');
  });

  it('gives ? for what is not known', () => {
    const x: TensorType = { dtype: 'f32', shape: ['batch', 'seq', 64] };
    expect(inferOp(Slice, [x, vec(1), vec(1), vec(1)], {}, { known: [undefined, undefined, [4], [2]] })[0]?.shape).toEqual(['batch', 'seq', '?']);
    expect(inferOp(Slice, [x, vec(1), vec(1), vec(1)], {}, { known: [undefined, [0], [4]] })[0]?.shape).toEqual(['?', '?', '?']);
    expect(inferOp(Slice, [x, vec(2), vec(2)])[0]?.shape).toEqual(['?', '?', 64]);
  });

  it('rejects clear errors', () => {
    const x: TensorType = { dtype: 'f32', shape: [4, 4] };
    expect(() => sliceShape(x, [0], [2], [0], [0])).toThrow(ShapeError);
    expect(() => sliceShape(x, [0], [2], [0], [0])).toThrow(/steps %in4 \[0\] has a 0 at position 0/);
    expect(() => sliceShape(x, [0, 1], [2], [0])).toThrow(/starts %in1 has 2 entries but ends %in2 has 1/);
    expect(() => sliceShape(x, [0], [2], [2])).toThrow(/axes %in3 entry 2 is out of range for rank 2/);
    expect(() => sliceShape(x, [0, 0], [2, 2], [1, -1])).toThrow(/more than once/);
    expect(() => inferOp(Slice, [x, { dtype: 'f32', shape: [1] }, vec(1)])).toThrow(DTypeError);
    expect(() => inferOp(Slice, [x, { dtype: 'f32', shape: [1] }, vec(1)])).toThrow(/starts %in1 must be i32 or i64/);
  });

  it('slices known contents', () => {
    const node = { op: 'Slice', inputs: ['shape', 'starts', 'ends'], outputs: ['out0'], attrs: {} };
    const types = [vec(3), vec(1), vec(1)];
    const first = new InferContext(node, Slice, types, [['batch', 'seq', 64], [0], [2]], []);
    expect(Slice.infer(first)[0]?.shape).toEqual([2]);
    expect(Slice.inferValue?.(first)).toEqual(['batch', 'seq']);
    const last = new InferContext(node, Slice, types, [['batch', 'seq', 64], [-1], [Number(INT64_MAX)]], []);
    expect(Slice.inferValue?.(last)).toEqual([64]);
  });
});

describe('Slice evaluation', () => {
  it('slices an f32 matrix with steps', () => {
    const data = tensor('f32', [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const [out] = evaluateOp(Slice, [data, i64(1n, 0n), i64(3n, 4n), undefined, i64(1n, 2n)]);
    expect(out?.shape).toEqual([2, 2]);
    expect(Array.from(out!.data as Float32Array)).toEqual([4, 6, 8, 10]);
  });

  it('walks an i64 vector backwards with huge bounds', () => {
    const data = tensor('i64', [5], [1, 2, 3, 4, 5]);
    const [out] = evaluateOp(Slice, [data, i64(INT64_MAX), i64(INT64_MIN), i64(0n), i64(-2n)]);
    expect(Array.from(out!.data as BigInt64Array)).toEqual([5n, 3n, 1n]);
  });

  it('takes i32 bounds on the last axis of a bool tensor', () => {
    const data = tensor('bool', [2, 3], [true, false, true, false, true, false]);
    const [out] = evaluateOp(Slice, [data, tensor('i32', [1], [-2]), tensor('i32', [1], [100]), tensor('i32', [1], [-1])]);
    expect(out?.shape).toEqual([2, 2]);
    expect(Array.from(out!.data as Uint8Array)).toEqual([0, 1, 1, 0]);
  });

  it('fails on a zero step', () => {
    const run = () => evaluateOp(Slice, [tensor('f32', [3]), i64(0n), i64(2n), undefined, i64(0n)]);
    expect(run).toThrow(/steps must be non-zero/);
  });
});

describe('sliceStart', () => {
  it('wraps and clamps numeric starts on numeric dims (ONNX)', () => {
    expect(sliceStart(10, 3, 1)).toBe(3);
    expect(sliceStart(10, -2, 1)).toBe(8);
    expect(sliceStart(10, -20, 1)).toBe(0);
    expect(sliceStart(10, 20, 1)).toBe(10);
    expect(sliceStart(10, 20, -1)).toBe(9);
    expect(sliceStart(10, -1, -2)).toBe(9);
  });

  it('keeps symbolic starts and reads huge or negative starts on symbolic dims as the axis ends', () => {
    expect(sliceStart('seq', 'past', 1)).toBe('past');
    expect(sliceStart('seq', 2 ** 40, 1)).toBe('seq');
    expect(sliceStart('seq', 2 ** 40, -1)).toBe('seq-1');
    expect(sliceStart('seq', -(2 ** 40), -1)).toBe(0);
    expect(sliceStart('seq', -3, 1)).toBe('seq-3');
    expect(sliceStart('seq', 4, 1)).toBe(4);
  });
});
