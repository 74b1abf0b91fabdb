import { describe, expect, it } from 'vitest';
import { AttributeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Transpose } from './transpose.js';

describe('Transpose inference', () => {
  it('permutes symbolic dims by perm', () => {
    const [out] = inferOp(Transpose, [{ dtype: 'f32', shape: ['batch', 'seq', 12, 64] }], { perm: [0, 2, 1, 3] });
    expect(out).toEqual({ dtype: 'f32', shape: ['batch', 12, 'seq', 64] });
  });

  it('reverses the axes by default', () => {
    const [out] = inferOp(Transpose, [{ dtype: 'i64', shape: [2, 'n', 4] }]);
    expect(out).toEqual({ dtype: 'i64', shape: [4, 'n', 2] });
  });

  it('rejects a perm that is not a permutation', () => {
    const input: TensorType = { dtype: 'f32', shape: [2, 3, 4] };
    expect(() => inferOp(Transpose, [input], { perm: [0, 0, 1] })).toThrow(AttributeError);
    expect(() => inferOp(Transpose, [input], { perm: [0, 0, 1] })).toThrow(/perm \[0, 0, 1\] is not a permutation.*%in0/);
    expect(() => inferOp(Transpose, [input], { perm: [1, 0] })).toThrow(/2 entries but the input has rank 3/);
    expect(() => inferOp(Transpose, [input], { perm: [0, 1, 3] })).toThrow(AttributeError);
  });

  it('passes the known contents of a 1-d tensor through', () => {
    const input: TensorType = { dtype: 'i64', shape: [2] };
    const node = { op: 'Transpose', inputs: ['in0'], outputs: ['out0'], attrs: {} };
    const ctx = new InferContext(node, Transpose, [input], [['batch', 'seq']], []);
    expect(Transpose.inferValue?.(ctx)).toEqual(['batch', 'seq']);
  });
});

describe('Transpose evaluation', () => {
  it('transposes an f32 matrix', () => {
    const [out] = evaluateOp(Transpose, [tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(out?.shape).toEqual([3, 2]);
    expect(Array.from(out!.data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('swaps the leading axes of a rank-3 f32 tensor', () => {
    const values = Array.from({ length: 24 }, (_, i) => i);
    const [out] = evaluateOp(Transpose, [tensor('f32', [2, 3, 4], values)], { perm: [1, 0, 2] });
    expect(out?.shape).toEqual([3, 2, 4]);
    expect(Array.from(out!.data as Float32Array)).toEqual([
      0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23,
    ]);
  });

  it('moves i64 elements without converting them', () => {
    const big = 9007199254740993n; // not representable as a double
    const input = tensor('i64', [2, 1, 3], new BigInt64Array([1n, 2n, big, 4n, 5n, 6n]));
    const [out] = evaluateOp(Transpose, [input], { perm: [2, 0, 1] });
    expect(out?.shape).toEqual([3, 2, 1]);
    expect(out?.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(out!.data as BigInt64Array)).toEqual([1n, 4n, 2n, 5n, big, 6n]);
  });

  it('copies f16 bits and bools', () => {
    const [half] = evaluateOp(Transpose, [tensor('f16', [2, 2], new Uint16Array([0x3c00, 0x4000, 0x4200, 0x4400]))]);
    expect(half?.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(half!.data as Uint16Array)).toEqual([0x3c00, 0x4200, 0x4000, 0x4400]);
    const [flags] = evaluateOp(Transpose, [tensor('bool', [1, 3], [true, false, true])]);
    expect(flags?.shape).toEqual([3, 1]);
    expect(Array.from(flags!.data as Uint8Array)).toEqual([1, 0, 1]);
  });
});
