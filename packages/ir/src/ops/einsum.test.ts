import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers, type Tensor } from '../tensor.js';
import { Einsum } from './einsum.js';

const f32 = (shape: (number | string)[]) => ({ dtype: 'f32' as const, shape });
/** Deterministic small values: v(i) = ((i * 7 + seed) % 11) - 5. */
const ramp = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 11) - 5);
const run = (equation: string, ...inputs: Tensor[]) => evaluateOp(Einsum, inputs, { equation })[0]!;

describe('Einsum inference', () => {
  it('infers the attention forms symbolically', () => {
    const q = f32(['batch', 12, 'seq', 64]);
    const k = f32(['batch', 12, 'kv', 64]);
    expect(inferOp(Einsum, [q, k], { equation: 'bhqd,bhkd->bhqk' })).toEqual([f32(['batch', 12, 'seq', 'kv'])]);
    const p = f32(['batch', 12, 'seq', 'kv']);
    const v = f32(['batch', 12, 'kv', 64]);
    expect(inferOp(Einsum, [p, v], { equation: 'bhqk, bhkd -> bhqd' })).toEqual([f32(['batch', 12, 'seq', 64])]);
  });

  it('prefers the most known dim for a letter, and infers implicit outputs and ellipses', () => {
    expect(inferOp(Einsum, [f32(['?', 'n']), f32([4, 5])], { equation: 'ij,jk' })).toEqual([f32(['?', 5])]);
    expect(inferOp(Einsum, [f32(['?', 'n']), f32([4, 5])], { equation: 'ij,jk->ji' })).toEqual([f32([4, '?'])]);
    expect(inferOp(Einsum, [f32(['?', 2]), f32(['m', 5])], { equation: 'ij,ik->ik' })).toEqual([f32(['m', 5])]);
    expect(inferOp(Einsum, [f32(['b', 1, 3, 4]), f32([7, 4, 5])], { equation: '...ij,...jk->...ik' })).toEqual([f32(['b', 7, 3, 5])]);
    expect(inferOp(Einsum, [f32([2, 3, 'n'])], { equation: 'i...' })).toEqual([f32([3, 'n', 2])]);
    expect(inferOp(Einsum, [f32(['n', 'n'])], { equation: 'ii' })).toEqual([f32([])]);
  });

  it('rejects mismatched letter sizes naming both inputs', () => {
    const bad = () => inferOp(Einsum, [f32(['b', 12, 'seq', 64]), f32(['b', 12, 'kv', 32])], { equation: 'bhqd,bhkd->bhqk' });
    expect(bad).toThrow(ShapeError);
    expect(bad).toThrow(/label 'd' is 64 in %in0 \(term 'bhqd'\) but 32 in %in1 \(term 'bhkd'\)/);
    expect(() => inferOp(Einsum, [f32([2, 3])], { equation: 'ijk->i' })).toThrow(/%in0 \(term 'ijk'\) has 3 labels but rank 2/);
    expect(() => inferOp(Einsum, [f32([2, 3, 4]), f32([5, 4])], { equation: '...j,...j' })).toThrow(ShapeError);
    expect(() => inferOp(Einsum, [f32(['b', 4])], { equation: '...i->i' })).toThrow(/output term 'i' has no '...' but the inputs' '...' dims are \[b\]/);
  });

  it('rejects malformed equations and mixed dtypes', () => {
    const two = [f32([2, 3]), f32([3, 4])];
    expect(() => inferOp(Einsum, two, { equation: 'ij->ij' })).toThrow(AttributeError);
    expect(() => inferOp(Einsum, two, { equation: 'ij->ij' })).toThrow(/1 input term but the node has 2 inputs/);
    expect(() => inferOp(Einsum, two, { equation: 'ij,j1->i' })).toThrow(/invalid character '1'/);
    expect(() => inferOp(Einsum, two, { equation: 'ij,jk->iz' })).toThrow(/output label 'z' does not appear/);
    expect(() => inferOp(Einsum, two, { equation: 'ij,jk->ii' })).toThrow(/repeats label 'i'/);
    expect(() => inferOp(Einsum, [f32([2]), f32([2])], { equation: '......i,i' })).toThrow(/more than one '...'/);
    expect(() => inferOp(Einsum, [f32([2]), { dtype: 'f16', shape: [2] }], { equation: 'i,i' })).toThrow(DTypeError);
    expect(() => inferOp(Einsum, two, {})).toThrow(/missing required attribute 'equation'/);
  });
});

describe('Einsum evaluation', () => {
  it('computes Q·Kᵀ and P·V like explicit loops', () => {
    const [B, H, Q, K, D] = [1, 2, 3, 4, 2];
    const q = ramp(B * H * Q * D, 1);
    const k = ramp(B * H * K * D, 2);
    const v = ramp(B * H * K * D, 3);
    const scores = run('bhqd,bhkd->bhqk', tensor('f32', [B, H, Q, D], q), tensor('f32', [B, H, K, D], k));
    expect(scores.shape).toEqual([B, H, Q, K]);
    const want: number[] = [];
    for (let h = 0; h < H; h++)
      for (let i = 0; i < Q; i++)
        for (let j = 0; j < K; j++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += q[(h * Q + i) * D + d] * k[(h * K + j) * D + d];
          want.push(s);
        }
    expect(toNumbers(scores)).toEqual(want);
    const out = run('bhqk,bhkd->bhqd', scores, tensor('f32', [B, H, K, D], v));
    const want2: number[] = [];
    for (let h = 0; h < H; h++)
      for (let i = 0; i < Q; i++)
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let j = 0; j < K; j++) s += want[(h * Q + i) * K + j] * v[(h * K + j) * D + d];
          want2.push(s);
        }
    expect(toNumbers(out)).toEqual(want2);
  });

  it('handles implicit outputs: matmul and transpose', () => {
    const a = tensor('f32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const b = tensor('f32', [3, 2], [1, 0, 0, 1, 1, 1]);
    expect(toNumbers(run('ij,jk', a, b))).toEqual([4, 5, 10, 11]);
    const t = run('ba', a); // implicit output 'ab': the transpose
    expect(t.shape).toEqual([3, 2]);
    expect(toNumbers(t)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('takes diagonals and traces for repeated letters', () => {
    const m = tensor('f32', [3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(toNumbers(run('ii->i', m))).toEqual([1, 5, 9]);
    expect(toNumbers(run('ii', m))).toEqual([15]);
    expect(toNumbers(run('ij->', m))).toEqual([45]);
    expect(toNumbers(run('ij->j', m))).toEqual([12, 15, 18]);
  });

  it('multiplies three operands and forms outer products', () => {
    const x = tensor('f32', [2], [1, 2]);
    const y = tensor('f32', [3], [1, 10, 100]);
    expect(toNumbers(run('i,j->ij', x, y))).toEqual([1, 10, 100, 2, 20, 200]);
    expect(toNumbers(run('i,i,i->', x, x, x))).toEqual([1 + 8]);
    const m = tensor('f32', [2, 2], [1, 2, 3, 4]);
    // (M·M)·M = [[37, 54], [81, 118]]
    expect(toNumbers(run('ij,jk,kl->il', m, m, m))).toEqual([37, 54, 81, 118]);
  });

  it('broadcasts ellipsis dims (size 1 against n)', () => {
    const a = tensor('f32', [2, 1, 1, 2], [1, 2, 3, 4]); // batch [2, 1], rows [1, 2]
    const b = tensor('f32', [3, 2, 1], [1, 1, 2, 2, 3, 3]); // batch [3], [2, 1]
    const y = run('...ij,...jk->...ik', a, b);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    // a row r=[1,2] or [3,4]; b column c·[1,1] for c in 1..3
    expect(toNumbers(y)).toEqual([3, 6, 9, 7, 14, 21]);
    expect(toNumbers(run('i->...i', tensor('f32', [2], [1, 2])))).toEqual([1, 2]);
    expect(toNumbers(run('...i->i', tensor('f32', [2], [1, 2])))).toEqual([1, 2]);
  });

  it('rounds f16 once and keeps integer dtypes', () => {
    const h = run('i,i->', tensor('f16', [3], [1024, 0.5, 0.5]), tensor('f16', [3], [1, 1, 1]));
    expect(h.dtype).toBe('f16');
    expect(toNumbers(h)).toEqual([1025]);
    const i = run('ij->i', tensor('i64', [2, 2], [1n, 2n, 3n, 4n]));
    expect(Array.from(i.data as BigInt64Array)).toEqual([3n, 7n]);
  });

  it('fails at run time on mismatched sizes', () => {
    expect(() => run('i,i->', tensor('f32', [2], [1, 2]), tensor('f32', [3], [1, 2, 3]))).toThrow(/label 'i' is 2 in %in0/);
  });
});
