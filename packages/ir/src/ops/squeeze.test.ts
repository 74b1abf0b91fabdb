import { describe, expect, it } from 'vitest';
import { EvalError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Squeeze } from './squeeze.js';

const axesType = (count: number): TensorType => ({ dtype: 'i64', shape: [count] });
const axes = (...values: number[]) => tensor('i64', [values.length], values);

describe('Squeeze inference', () => {
  it('removes the given axes', () => {
    const data: TensorType = { dtype: 'f32', shape: [1, 'seq', 1, 64] };
    expect(inferOp(Squeeze, [data, axesType(2)], {}, { constants: [undefined, axes(0, 2)] })[0]).toEqual({ dtype: 'f32', shape: ['seq', 64] });
    expect(inferOp(Squeeze, [data, axesType(1)], {}, { known: [undefined, [-2]] })[0]?.shape).toEqual([1, 'seq', 64]);
  });

  it('accepts a symbolic dim on a squeezed axis (it may be 1 at run time)', () => {
    expect(inferOp(Squeeze, [{ dtype: 'i64', shape: ['batch', 4] }, axesType(1)], {}, { known: [undefined, [0]] })[0]?.shape).toEqual([4]);
  });

  it('removes every 1 of a static shape when axes are absent, and accepts the axes attribute', () => {
    expect(inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 3, 1] }])[0]?.shape).toEqual([3]);
    expect(inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 3, 1] }], { axes: [-1] })[0]?.shape).toEqual([1, 3]);
  });

  it('refuses to guess which symbolic dims are 1 without axes', () => {
    expect(() => inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 'seq'] }])).toThrow(ShapeError);
    expect(() => inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 'seq'] }])).toThrow(/axis 1 of data %in0 f32\[1, seq\] is seq; give axes explicitly/);
  });

  it('rejects squeezing an axis whose size is not 1', () => {
    const data: TensorType = { dtype: 'f32', shape: [2, 3] };
    expect(() => inferOp(Squeeze, [data, axesType(1)], {}, { known: [undefined, [1]] })).toThrow(/cannot squeeze axis 1 .*its size is 3, expected 1/);
    expect(() => inferOp(Squeeze, [data, axesType(1)], {}, { known: [undefined, [2]] })).toThrow(/out of range for rank 2/);
  });

  it('leaves the dims to the host when the axes arrive at run time, unless the size-1 axes are exactly that many', () => {
    expect(inferOp(Squeeze, [{ dtype: 'f32', shape: [2, 3] }, axesType(1)])[0]?.shape).toEqual(['?']);
    expect(inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 3, 1, 5] }, axesType(2)])[0]?.shape).toEqual([3, 5]);
    expect(inferOp(Squeeze, [{ dtype: 'f32', shape: [1, 'n', 5] }, axesType(1)])[0]?.shape).toEqual(['?', '?']);
  });

  it('passes known contents through', () => {
    const node = { op: 'Squeeze', inputs: ['in0', 'in1'], outputs: ['out0'], attrs: {} };
    const ctx = new InferContext(node, Squeeze, [{ dtype: 'i64', shape: [1] }, axesType(1)], [['seq'], [0]], []);
    expect(Squeeze.infer(ctx)[0]?.shape).toEqual([]);
    expect(Squeeze.inferValue?.(ctx)).toEqual(['seq']);
  });
});

describe('Squeeze evaluation', () => {
  it('drops size-1 axes of i64, f32 and bool tensors', () => {
    const [ints] = evaluateOp(Squeeze, [tensor('i64', [1, 3], [7, 8, 9])]);
    expect(ints?.shape).toEqual([3]);
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([7n, 8n, 9n]);
    const [floats] = evaluateOp(Squeeze, [tensor('f32', [2, 1], [0.5, 0.25]), axes(1)]);
    expect(floats?.shape).toEqual([2]);
    expect(Array.from(floats!.data as Float32Array)).toEqual([0.5, 0.25]);
    const [flag] = evaluateOp(Squeeze, [tensor('bool', [1, 1], [true])]);
    expect(flag?.shape).toEqual([]);
    expect(Array.from(flag!.data as Uint8Array)).toEqual([1]);
  });

  it('fails at run time when a squeezed axis is not 1', () => {
    expect(() => evaluateOp(Squeeze, [tensor('f32', [2, 1], [1, 2]), axes(0)])).toThrow(EvalError);
    expect(() => evaluateOp(Squeeze, [tensor('f32', [2, 1], [1, 2]), axes(0)])).toThrow(/its size is 2, expected 1/);
  });
});
