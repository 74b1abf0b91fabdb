import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../errors.js';
import { InferContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { scalar, tensor } from '../tensor.js';
import { Unsqueeze } from './unsqueeze.js';

const AXES: TensorType = { dtype: 'i64', shape: [1] };
const axes = (...values: number[]) => tensor('i64', [values.length], values);

describe('Unsqueeze inference', () => {
  it('inserts size-1 axes given by a constant axes input', () => {
    const data: TensorType = { dtype: 'f32', shape: ['batch', 'seq'] };
    expect(inferOp(Unsqueeze, [data, AXES], {}, { constants: [undefined, axes(1)] })[0]?.shape).toEqual(['batch', 1, 'seq']);
    expect(inferOp(Unsqueeze, [data, AXES], {}, { constants: [undefined, axes(-1)] })[0]?.shape).toEqual(['batch', 'seq', 1]);
    const [out] = inferOp(Unsqueeze, [{ dtype: 'i64', shape: [2, 3] }, { dtype: 'i64', shape: [2] }], {}, { known: [undefined, [0, 3]] });
    expect(out).toEqual({ dtype: 'i64', shape: [1, 2, 3, 1] });
  });

  it('accepts the pre-13 axes attribute', () => {
    expect(inferOp(Unsqueeze, [{ dtype: 'bool', shape: [] }], { axes: [0] })[0]).toEqual({ dtype: 'bool', shape: [1] });
  });

  it('leaves the dims to the host when the axes arrive at run time (only the rank is known)', () => {
    const data: TensorType = { dtype: 'f32', shape: ['batch'] };
    expect(inferOp(Unsqueeze, [data, AXES])[0]?.shape).toEqual(['?', '?']);
    expect(inferOp(Unsqueeze, [data, AXES], {}, { known: [undefined, ['n']] })[0]?.shape).toEqual(['?', '?']);
    expect(() => inferOp(Unsqueeze, [data, { dtype: 'i64', shape: ['n'] }])).toThrow(ShapeError);
    expect(() => inferOp(Unsqueeze, [data])).toThrow(AttributeError);
  });

  it('rejects out-of-range and repeated axes, and non-i64 axes', () => {
    const data: TensorType = { dtype: 'f32', shape: [4] };
    expect(() => inferOp(Unsqueeze, [data, AXES], {}, { known: [undefined, [2]] })).toThrow(/axes entry 2 is out of range for rank 2/);
    expect(() => inferOp(Unsqueeze, [data, AXES], {}, { known: [undefined, [0, -3]] })).toThrow(/more than once/);
    expect(() => inferOp(Unsqueeze, [data, { dtype: 'f32', shape: [1] }], {}, { known: [undefined, [0]] })).toThrow(/%in1 must be i64/);
  });

  it('passes known contents through (a scalar becomes a 1-element list)', () => {
    const node = { op: 'Unsqueeze', inputs: ['in0', 'in1'], outputs: ['out0'], attrs: {} };
    const ctx = new InferContext(node, Unsqueeze, [{ dtype: 'i64', shape: [] }, AXES], [['seq'], [0]], []);
    expect(Unsqueeze.infer(ctx)[0]?.shape).toEqual([1]);
    expect(Unsqueeze.inferValue?.(ctx)).toEqual(['seq']);
  });
});

describe('Unsqueeze evaluation', () => {
  it('reshapes without touching the data', () => {
    const [one] = evaluateOp(Unsqueeze, [scalar('i64', 5n), axes(0)]);
    expect(one?.shape).toEqual([1]);
    expect(Array.from(one!.data as BigInt64Array)).toEqual([5n]);
    const [out] = evaluateOp(Unsqueeze, [tensor('f32', [2], [1.5, -2]), axes(0, -1)]);
    expect(out?.shape).toEqual([1, 2, 1]);
    expect(Array.from(out!.data as Float32Array)).toEqual([1.5, -2]);
  });

  it('uses the axes attribute when there is no axes input', () => {
    const [out] = evaluateOp(Unsqueeze, [tensor('bool', [2], [true, false])], { axes: [1] });
    expect(out?.shape).toEqual([2, 1]);
    expect(Array.from(out!.data as Uint8Array)).toEqual([1, 0]);
  });
});
