import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, type Tensor } from '../tensor.js';
import { FusedMatMul } from './fused-matmul.js';
import { Linear } from './linear.js';
import { MatMul } from './matmul.js';
import { Add } from './binary-arithmetic.js';
import { Transpose } from './transpose.js';

function ramp(shape: number[], step = 0.1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor('f32', shape, Array.from({ length: size }, (_, i) => ((i * 7) % 11) * step - 0.5));
}

function close(actual: Tensor, expected: Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.data as Float32Array;
  const e = expected.data as Float32Array;
  for (let i = 0; i < e.length; i++) expect(a[i]).toBeCloseTo(e[i], 5);
}

describe('FusedMatMul', () => {
  it('equals Transpose + MatMul + scaling for every transpose combination', () => {
    const a = ramp([2, 3, 4]);
    const b = ramp([2, 4, 5]);
    const swap = { perm: [0, 2, 1] };
    const [aT] = evaluateOp(Transpose, [a], swap);
    const [bT] = evaluateOp(Transpose, [b], swap);
    const [plain] = evaluateOp(MatMul, [a, b]);
    const scaled = tensor('f32', plain!.shape, Array.from(plain!.data as Float32Array, (x) => x * 0.5));
    for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const [y] = evaluateOp(FusedMatMul, [transA ? aT : a, transB ? bT : b], { transA, transB, alpha: 0.5 });
      close(y!, scaled);
    }
  });

  it('infers symbolic shapes and rejects mismatched inner dims', () => {
    const [type] = inferOp(FusedMatMul, [{ dtype: 'f32', shape: ['b', 8, 'seq', 16] }, { dtype: 'f32', shape: ['b', 8, 'seq', 16] }], { transB: 1 });
    expect(type!.shape).toEqual(['b', 8, 'seq', 'seq']);
    expect(() => inferOp(FusedMatMul, [{ dtype: 'f32', shape: [2, 3] }, { dtype: 'f32', shape: [4, 5] }])).toThrow(ShapeError);
  });
});

describe('Linear', () => {
  it('equals MatMul + Add, with the weight in either layout', () => {
    const x = ramp([2, 3, 4]);
    const w = ramp([4, 5], 0.2);
    const bias = ramp([5], 0.3);
    const [product] = evaluateOp(MatMul, [x, w]);
    const [expected] = evaluateOp(Add, [product!, bias]);
    close(evaluateOp(Linear, [x, w, bias])[0]!, expected!);
    const [wT] = evaluateOp(Transpose, [w], { perm: [1, 0] });
    close(evaluateOp(Linear, [x, wT, bias], { transB: 1 })[0]!, expected!);
    close(evaluateOp(Linear, [x, w])[0]!, product!);
  });

  it('names the mismatch', () => {
    expect(() => inferOp(Linear, [{ dtype: 'f32', shape: ['n', 4] }, { dtype: 'f32', shape: [5, 6] }, undefined])).toThrow('inner dimensions 4 and 5 differ');
    expect(() => inferOp(Linear, [{ dtype: 'f32', shape: ['n', 4] }, { dtype: 'f32', shape: [4, 6] }, { dtype: 'f32', shape: [5] }])).toThrow('expected [6]');
  });
});
