import { describe, it, expect } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { LogSoftmax, Softmax } from './softmax.js';

function naiveSoftmax(row: number[]): number[] {
  const exps = row.map(Math.exp);
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

describe('Softmax', () => {
  it('keeps the symbolic shape and checks the axis', () => {
    const type = { dtype: 'f32' as const, shape: ['batch', 12, 'seq', 'seq'] };
    expect(inferOp(Softmax, [type])).toEqual([type]);
    expect(inferOp(Softmax, [type], { axis: 1 })).toEqual([type]);
    expect(() => inferOp(Softmax, [type], { axis: 4 })).toThrow(ShapeError);
    expect(() => inferOp(Softmax, [type], { axis: -5 })).toThrow(/axis -5 is out of range for rank 4/);
  });

  it('normalises along the last axis', () => {
    const rows = [
      [1, 2, 3],
      [0, 0, -1],
    ];
    const [y] = evaluateOp(Softmax, [tensor('f32', [2, 3], rows.flat())]);
    const expected = rows.flatMap(naiveSoftmax);
    toNumbers(y!).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
  });

  it('normalises along a middle axis', () => {
    // x[i][j][k] = i*6 + j*2 + k; softmax over j (size 3).
    const x = Array.from({ length: 12 }, (_, i) => i / 4);
    const [y] = evaluateOp(Softmax, [tensor('f32', [2, 3, 2], x)], { axis: 1 });
    const out = toNumbers(y!);
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 2; k++) {
        const column = [0, 1, 2].map((j) => x[i * 6 + j * 2 + k]);
        naiveSoftmax(column).forEach((want, j) => expect(out[i * 6 + j * 2 + k]).toBeCloseTo(want, 6));
      }
    }
  });

  it('is stable for large inputs and gives NaN for an all -inf row (ONNX behaviour)', () => {
    const [y] = evaluateOp(Softmax, [tensor('f32', [2, 2], [1000, 1000, -Infinity, -Infinity])]);
    const out = toNumbers(y!);
    expect(out.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBeNaN();
  });

  it('evaluates f16 and masks -inf entries to 0', () => {
    const [y] = evaluateOp(Softmax, [tensor('f16', [3], [0, 0, -Infinity])]);
    expect(y!.dtype).toBe('f16');
    expect(toNumbers(y!)).toEqual([0.5, 0.5, 0]);
  });

  it('rejects integer input', () => {
    expect(() => inferOp(Softmax, [{ dtype: 'i64', shape: [3] }])).toThrow(DTypeError);
  });
});

describe('LogSoftmax', () => {
  it('is the log of the softmax along any axis, and stays finite for large inputs', () => {
    const x = tensor('f32', [2, 3], [1, 2, 3, 1000, 1000, -1000]);
    const [y] = evaluateOp(LogSoftmax, [x]);
    const row = naiveSoftmax([1, 2, 3]).map(Math.log);
    toNumbers(y!).slice(0, 3).forEach((value, i) => expect(value).toBeCloseTo(row[i], 6));
    expect(toNumbers(y!).slice(3)).toEqual([-Math.log(2), -Math.log(2), -2000 - Math.log(2)].map(Math.fround));
    const [columns] = evaluateOp(LogSoftmax, [tensor('f32', [2, 1], [0, 0])], { axis: 0 });
    expect(toNumbers(columns!)).toEqual([Math.fround(-Math.log(2)), Math.fround(-Math.log(2))]);
  });
  it('takes floats only', () => {
    expect(() => inferOp(LogSoftmax, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});
