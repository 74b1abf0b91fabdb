import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Gemm } from './gemm.js';

/** Independent reference: row-major [m, k] x [k, n]. */
function matmul(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.push([...Array(k).keys()].reduce((s, p) => s + a[i * k + p] * b[p * n + j], 0));
  return out;
}

function transpose(x: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(x[i * cols + j]);
  return out;
}

describe('Gemm', () => {
  it('infers [M, N] symbolically, with transposes and a broadcast C', () => {
    const a = { dtype: 'f32' as const, shape: ['tokens', 768] };
    const b = { dtype: 'f32' as const, shape: [3072, 768] };
    const c = { dtype: 'f32' as const, shape: [3072] };
    expect(inferOp(Gemm, [a, b, c], { transB: 1 })).toEqual([{ dtype: 'f32', shape: ['tokens', 3072] }]);
    expect(inferOp(Gemm, [{ dtype: 'f32', shape: [768, 'tokens'] }, { dtype: 'f32', shape: [768, 10] }], { transA: 1 })).toEqual([
      { dtype: 'f32', shape: ['tokens', 10] },
    ]);
  });

  it('computes alpha·A·B + beta·C', () => {
    const a = [1, 2, 3, 4, 5, 6]; // [2, 3]
    const b = [1, 0, -1, 2, 0.5, 1]; // [3, 2]
    const c = [10, 20]; // [2] -> broadcast to [2, 2]
    const [y] = evaluateOp(Gemm, [tensor('f32', [2, 3], a), tensor('f32', [3, 2], b), tensor('f32', [2], c)], { alpha: 2, beta: 0.5 });
    const expected = matmul(a, b, 2, 3, 2).map((v, i) => 2 * v + 0.5 * c[i % 2]);
    expect(toNumbers(y!)).toEqual(expected);
  });

  it('handles transA/transB and a [M, 1] C', () => {
    const a = [1, 2, 3, 4, 5, 6]; // A' = [2, 3], stored transposed as [3, 2]
    const b = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // B' = [3, 3], stored transposed
    const [y] = evaluateOp(
      Gemm,
      [tensor('f32', [3, 2], transpose(a, 2, 3)), tensor('f32', [3, 3], transpose(b, 3, 3)), tensor('f32', [2, 1], [1, -1])],
      { transA: 1, transB: 1 },
    );
    const expected = matmul(a, b, 2, 3, 3).map((v, i) => v + (i < 3 ? 1 : -1));
    expect(toNumbers(y!)).toEqual(expected);
  });

  it('evaluates f16 (rounded once) without C', () => {
    const [y] = evaluateOp(Gemm, [tensor('f16', [1, 2], [0.1, 0.2]), tensor('f16', [2, 1], [3, 4])]);
    expect(y!.dtype).toBe('f16');
    // f16(0.1) = 0.0999755859375, f16(0.2) = 0.199951171875; 3·0.0999755859375 + 4·0.199951171875 = 1.0997314453125 -> f16 1.099609375
    expect(toNumbers(y!)).toEqual([1.099609375]);
  });

  it('rejects bad ranks, inner-dim mismatches, a bad C and bad flags', () => {
    const f = (shape: (number | string)[]) => ({ dtype: 'f32' as const, shape });
    expect(() => inferOp(Gemm, [f([2, 3, 4]), f([4, 5])])).toThrow(ShapeError);
    expect(() => inferOp(Gemm, [f([2, 3]), f([4, 5])])).toThrow(/inner dimensions 3 and 4 differ/);
    expect(() => inferOp(Gemm, [f([2, 3]), f([3, 5]), f([3])])).toThrow(/C %in2 is f32\[3\] but must broadcast to \[M, N\] = \[2, 5\]/);
    expect(() => inferOp(Gemm, [f([2, 3]), { dtype: 'f16', shape: [3, 5] }])).toThrow(DTypeError);
    expect(() => inferOp(Gemm, [f([2, 3]), f([3, 5])], { transA: 2 })).toThrow(AttributeError);
  });
});
