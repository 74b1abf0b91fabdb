import { describe, it, expect } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Where } from './where.js';

describe('Where', () => {
  it('broadcasts all three inputs symbolically', () => {
    const out = inferOp(Where, [
      { dtype: 'bool', shape: [1, 1, 'q', 'k'] },
      { dtype: 'f32', shape: ['batch', 12, 'q', 'k'] },
      { dtype: 'f32', shape: [] },
    ]);
    expect(out).toEqual([{ dtype: 'f32', shape: ['batch', 12, 'q', 'k'] }]);
  });

  it('selects with 3-way broadcasting (causal mask)', () => {
    const mask = tensor('bool', [2, 2], [true, false, true, true]);
    const scores = tensor('f32', [2, 1, 2], [1, 2, 3, 4]);
    const fill = tensor('f32', [], [-Infinity]);
    const [y] = evaluateOp(Where, [mask, scores, fill]);
    expect(y!.shape).toEqual([2, 2, 2]);
    expect(toNumbers(y!)).toEqual([1, -Infinity, 1, 2, 3, -Infinity, 3, 4]);
  });

  it('copies i64 values exactly and selects f16 bits', () => {
    const big = 2n ** 62n + 1n;
    const [y] = evaluateOp(Where, [tensor('bool', [2], [false, true]), tensor('i64', [1], BigInt64Array.of(big)), tensor('i64', [2], [7n, 8n])]);
    expect(Array.from(y!.data as BigInt64Array)).toEqual([7n, big]);
    const [h] = evaluateOp(Where, [tensor('bool', [2], [true, false]), tensor('f16', [2], [1.5, 2]), tensor('f16', [2], [3, 4])]);
    expect(h!.dtype).toBe('f16');
    expect(toNumbers(h!)).toEqual([1.5, 4]);
  });

  it('rejects a non-bool condition, mismatched X/Y and bad broadcasts', () => {
    const f = { dtype: 'f32' as const, shape: [2] };
    expect(() => inferOp(Where, [f, f, f])).toThrow(DTypeError);
    expect(() => inferOp(Where, [f, f, f])).toThrow(/condition %in0 must be bool/);
    expect(() => inferOp(Where, [{ dtype: 'bool', shape: [2] }, f, { dtype: 'f16', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Where, [{ dtype: 'bool', shape: [3] }, f, f])).toThrow(ShapeError);
  });
});
