import { describe, expect, it } from 'vitest';
import { AttributeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, type Tensor } from '../tensor.js';
import { Pad, padSource } from './pad.js';

const row = tensor('i32', [1, 4], [1, 2, 3, 4]);
const values = (value: Tensor | undefined) => Array.from(value!.data as Int32Array);

describe('Pad', () => {
  it('maps output coordinates to input ones per mode (numpy.pad)', () => {
    // numpy.pad([1, 2, 3, 4], (3, 3), mode) read as coordinates
    const sources = (mode: 'edge' | 'reflect' | 'wrap') => Array.from({ length: 10 }, (_, out) => padSource(out, 3, 4, mode));
    expect(sources('edge')).toEqual([0, 0, 0, 0, 1, 2, 3, 3, 3, 3]);
    expect(sources('reflect')).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(sources('wrap')).toEqual([1, 2, 3, 0, 1, 2, 3, 0, 1, 2]);
    expect(padSource(0, 2, 4, 'constant')).toBe(-1);
    expect(padSource(0, 2, 1, 'reflect')).toBe(0);
  });

  it('pads every mode, the value and axes inputs included, and crops with negative pads', () => {
    const pads = tensor('i64', [4], [0, 2, 0, 1]);
    expect(values(evaluateOp(Pad, [row, pads, tensor('i32', [], [9])])[0])).toEqual([9, 9, 1, 2, 3, 4, 9]);
    expect(values(evaluateOp(Pad, [row, pads], { mode: 'edge' })[0])).toEqual([1, 1, 1, 2, 3, 4, 4]);
    expect(values(evaluateOp(Pad, [row, pads], { mode: 'reflect' })[0])).toEqual([3, 2, 1, 2, 3, 4, 3]);
    expect(values(evaluateOp(Pad, [row, pads], { mode: 'wrap' })[0])).toEqual([3, 4, 1, 2, 3, 4, 1]);
    expect(values(evaluateOp(Pad, [row, tensor('i64', [2], [-1, 1]), undefined, tensor('i64', [1], [-1])])[0])).toEqual([2, 3, 4, 0]);
    const [legacy] = evaluateOp(Pad, [tensor('f32', [2], [1, 2])], { pads: [1, 0], value: 0.5 });
    expect(Array.from(legacy!.data as Float32Array)).toEqual([0.5, 1, 2]);
  });

  it('infers padded sizes, leaving fed pads to the host', () => {
    const x = { dtype: 'f32' as const, shape: [1, 3, 'h', 5] };
    const pads = { dtype: 'i64' as const, shape: [8] };
    const constants = [undefined, tensor('i64', [8], [0, 0, 1, 2, 0, 0, 3, 4])];
    expect(inferOp(Pad, [x, pads], {}, { constants })[0]?.shape).toEqual([1, 3, 'h+4', 11]);
    expect(inferOp(Pad, [x, pads])[0]?.shape).toEqual(['?', '?', '?', '?']);
    const axes = tensor('i64', [2], [2, -1]);
    expect(inferOp(Pad, [x, { dtype: 'i64', shape: [4] }, undefined, { dtype: 'i64', shape: [2] }], {}, { constants: [undefined, undefined, undefined, axes] })[0]?.shape).toEqual([1, 3, '?', '?']);
    expect(() => inferOp(Pad, [x, { dtype: 'i64', shape: [6] }])).toThrow(ShapeError);
    expect(() => inferOp(Pad, [x, pads], { mode: 'mirror' })).toThrow(AttributeError);
  });
});
