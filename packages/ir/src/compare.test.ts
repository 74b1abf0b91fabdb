import { tensor } from './tensor.js';
import { describe, expect, it } from 'vitest';
import { compareTensors, toleranceFor } from './compare.js';

const f32 = (values: number[]) => tensor('f32', [values.length], values);

describe('compareTensors', () => {
  it('accepts |got - expected| <= atol + rtol * |expected| and reports the max error', () => {
    const result = compareTensors(f32([1.001, 100.09]), f32([1, 100]), { rtol: 1e-3, atol: 1e-5 });
    expect(result.ok).toBe(true);
    expect(result.maxAbsErr).toBeCloseTo(0.09, 4);
    const failing = compareTensors(f32([1, 2.1]), f32([1, 2]), { rtol: 1e-3, atol: 1e-5 });
    expect(failing).toMatchObject({ ok: false, mismatches: 1 });
    expect(failing.problem).toMatch(/1 of 2 elements differ; first at \[1\]: got 2\.1, expected 2 \(rtol 0\.001, atol 0\.00001\)/);
  });

  it('requires infinities to match exactly and fails NaN where a finite value is expected', () => {
    const tolerance = { rtol: 1, atol: 1 };
    expect(compareTensors(f32([-Infinity, Infinity]), f32([-Infinity, Infinity]), tolerance).ok).toBe(true);
    expect(compareTensors(f32([-3.4e38]), f32([-Infinity]), tolerance).ok).toBe(false);
    expect(compareTensors(f32([Infinity]), f32([-Infinity]), tolerance).ok).toBe(false);
    const nan = compareTensors(f32([NaN]), f32([0]), tolerance);
    expect(nan).toMatchObject({ ok: false, maxAbsErr: Infinity });
    expect(compareTensors(f32([NaN]), f32([NaN]), tolerance).ok).toBe(true);
  });

  it('compares integers and bools exactly, and rejects dtype or shape differences', () => {
    const exact = toleranceFor('i64', { rtol: 1, atol: 1 });
    expect(exact).toEqual({ rtol: 0, atol: 0 });
    expect(compareTensors(tensor('i64', [1], [2n ** 60n + 1n] as unknown as number[]), tensor('i64', [1], [2n ** 60n] as unknown as number[]), exact).ok).toBe(false);
    expect(compareTensors(tensor('bool', [2], [1, 0]), tensor('bool', [2], [1, 0]), exact).ok).toBe(true);
    expect(compareTensors(f32([1, 2]), tensor('f32', [1, 2], [1, 2]), exact).problem).toBe('got f32[2], expected f32[1, 2]');
    expect(compareTensors(f32([1]), tensor('f16', [1], [1]), exact).ok).toBe(false);
  });

  it('uses per-dtype defaults, overridden by --rtol/--atol for floats', () => {
    expect(toleranceFor('f32')).toEqual({ rtol: 1e-3, atol: 1e-5 });
    expect(toleranceFor('f16')).toEqual({ rtol: 1e-2, atol: 2e-3 });
    expect(toleranceFor('f16', { atol: 0.5 })).toEqual({ rtol: 1e-2, atol: 0.5 });
  });
});
