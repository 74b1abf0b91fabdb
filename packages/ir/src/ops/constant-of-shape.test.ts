import { describe, expect, it } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { ConstantOfShape } from './constant-of-shape.js';

const shapeOf = (count: number): TensorType => ({ dtype: 'i64', shape: [count] });
const i64 = (...values: number[]) => tensor('i64', [values.length], values);

describe('ConstantOfShape inference', () => {
  it('takes the shape from the known input and the dtype from value', () => {
    expect(inferOp(ConstantOfShape, [shapeOf(2)], {}, { known: [['batch', 'seq']] })[0]).toEqual({ dtype: 'f32', shape: ['batch', 'seq'] });
    const value = tensor('i64', [1], [1]);
    expect(inferOp(ConstantOfShape, [shapeOf(1)], { value }, { constants: [i64(4)] })[0]).toEqual({ dtype: 'i64', shape: [4] });
    expect(inferOp(ConstantOfShape, [shapeOf(0)], {}, { constants: [i64()] })[0]).toEqual({ dtype: 'f32', shape: [] });
    expect(inferOp(ConstantOfShape, [shapeOf(3)])[0]?.shape).toEqual(['?', '?', '?']);
  });

  it('rejects a bad value, shape dtype or dims', () => {
    expect(() => inferOp(ConstantOfShape, [shapeOf(1)], { value: tensor('f32', [2], [1, 2]) })).toThrow(AttributeError);
    expect(() => inferOp(ConstantOfShape, [shapeOf(1)], { value: tensor('f32', [2], [1, 2]) })).toThrow(/exactly one element.*f32\[2\]/);
    expect(() => inferOp(ConstantOfShape, [{ dtype: 'f32', shape: [1] }])).toThrow(DTypeError);
    expect(() => inferOp(ConstantOfShape, [shapeOf(2)], {}, { known: [[2, -3]] })).toThrow(ShapeError);
    expect(() => inferOp(ConstantOfShape, [shapeOf(2)], {}, { known: [[2, -3]] })).toThrow(/shape %in0 \[2, -3\] has a negative dim -3/);
  });

  it('knows a short integer fill', () => {
    const node = { op: 'ConstantOfShape', inputs: ['s'], outputs: ['out0'], attrs: { value: tensor('i64', [1], [1]) } };
    expect(ConstantOfShape.inferValue?.(new InferContext(node, ConstantOfShape, [shapeOf(1)], [[3]], []))).toEqual([1, 1, 1]);
    expect(ConstantOfShape.inferValue?.(new InferContext(node, ConstantOfShape, [shapeOf(1)], [['n']], []))).toBeUndefined();
  });
});

describe('ConstantOfShape evaluation', () => {
  it('fills f32 zeros by default', () => {
    const [out] = evaluateOp(ConstantOfShape, [i64(2, 3)]);
    expect(out?.dtype).toBe('f32');
    expect(out?.shape).toEqual([2, 3]);
    expect(Array.from(out!.data as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('fills i64, bool and f16 values as stored', () => {
    const [ints] = evaluateOp(ConstantOfShape, [i64(2)], { value: tensor('i64', [1], new BigInt64Array([-7n])) });
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([-7n, -7n]);
    const [flags] = evaluateOp(ConstantOfShape, [i64(1, 2)], { value: tensor('bool', [1], [true]) });
    expect(flags?.shape).toEqual([1, 2]);
    expect(Array.from(flags!.data as Uint8Array)).toEqual([1, 1]);
    const [half] = evaluateOp(ConstantOfShape, [i64(2)], { value: tensor('f16', [1], new Uint16Array([0xfc00])) });
    expect(Array.from(half!.data as Uint16Array)).toEqual([0xfc00, 0xfc00]);
  });

  it('fails on a negative dim', () => {
    expect(() => evaluateOp(ConstantOfShape, [i64(-1)])).toThrow(/has a negative dim/);
  });
});
