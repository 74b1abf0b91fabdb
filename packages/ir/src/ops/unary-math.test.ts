/** The element-wise math ops of unary-math.ts, each on its reference values, dtypes and edge cases. */
import { describe, it, expect } from 'vitest';
import { AttributeError, DTypeError } from '../errors.js';
import { f32ToF16Bits } from '../f16.js';
import { erf } from '../scalar/erf.js';
import { compileScalarExpr } from '../scalar/evaluate.js';
import { call, inlineCalls, input } from '../scalar/expr.js';
import { COS_FUNCTION, SIN_FUNCTION } from '../scalar/trigonometry.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Abs, Ceil, Cos, Erf, Exp, Floor, Gelu, Log, Neg, Reciprocal, Relu, Round, Sigmoid, Sign, Sin, Sqrt, Tanh } from './unary-math.js';

describe('Sqrt', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Sqrt, [{ dtype: 'f32', shape: ['batch', 'seq', 64] }])).toEqual([{ dtype: 'f32', shape: ['batch', 'seq', 64] }]);
  });

  it('computes square roots (NaN for negatives)', () => {
    const [y] = evaluateOp(Sqrt, [tensor('f32', [2, 2], [0, 1, 9, -4])]);
    const values = toNumbers(y!);
    expect(values.slice(0, 3)).toEqual([0, 1, 3]);
    expect(values[3]).toBeNaN();
  });

  it('rounds f16 results once', () => {
    const [y] = evaluateOp(Sqrt, [tensor('f16', [3], [4, 2, 0.25])]);
    expect(y!.dtype).toBe('f16');
    expect(Array.from(y!.data as Uint16Array)).toEqual([f32ToF16Bits(2), f32ToF16Bits(1.4142135623730951), f32ToF16Bits(0.5)]);
  });

  it('rejects integer input naming it', () => {
    expect(() => inferOp(Sqrt, [{ dtype: 'i64', shape: [3] }])).toThrow(DTypeError);
    expect(() => inferOp(Sqrt, [{ dtype: 'i64', shape: [3] }])).toThrow(/X %in0 must be f32 or f16, got i64\[3\]/);
  });
});

describe('Exp', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Exp, [{ dtype: 'f16', shape: ['n', '?'] }])).toEqual([{ dtype: 'f16', shape: ['n', '?'] }]);
  });

  it('computes e^x, including the infinities', () => {
    const [y] = evaluateOp(Exp, [tensor('f32', [4], [0, 1, -Infinity, Infinity])]);
    const values = toNumbers(y!);
    expect(values[0]).toBe(1);
    expect(values[1]).toBeCloseTo(2.718281828, 6);
    expect(values[2]).toBe(0);
    expect(values[3]).toBe(Infinity);
  });

  it('overflows to inf in f16', () => {
    const [y] = evaluateOp(Exp, [tensor('f16', [2], [12, 0])]);
    expect(toNumbers(y!)).toEqual([Infinity, 1]); // e^12 ≈ 162755 > 65504
  });

  it('rejects bool input', () => {
    expect(() => inferOp(Exp, [{ dtype: 'bool', shape: [1] }])).toThrow(DTypeError);
  });
});

/** Independent reference: the Maclaurin series 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), fine for |x| <= 3. */
function erfSeries(x: number): number {
  let term = x; // (-1)^n x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = sum + term / (2 * n + 1);
    if (next === sum) break;
    sum = next;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('erf (Cody)', () => {
  it('matches the Maclaurin series to 1e-13 on [-3, 3]', () => {
    for (let x = -3; x <= 3; x += 0.0625) {
      const want = erfSeries(x);
      expect(Math.abs(erf(x) - want)).toBeLessThanOrEqual(1e-13 * Math.max(Math.abs(want), 1e-300) + 1e-300);
    }
  });

  it('matches published values across all three intervals', () => {
    // Reference values from CPython's math.erf (the C library's erf).
    const table: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3.5, 0.9999992569016276],
      [5, 0.9999999999984626],
    ];
    for (const [x, want] of table) {
      expect(Math.abs(erf(x) - want) / want).toBeLessThan(1e-14);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
    expect(erf(30)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });
});

describe('Erf', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Erf, [{ dtype: 'f32', shape: ['batch', 'seq', 3072] }])).toEqual([{ dtype: 'f32', shape: ['batch', 'seq', 3072] }]);
  });

  it('evaluates f32 and f16 tensors', () => {
    const [y] = evaluateOp(Erf, [tensor('f32', [3], [-1, 0, 0.5])]);
    const values = toNumbers(y!);
    expect(values[0]).toBeCloseTo(-0.8427007929, 6);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeCloseTo(0.5204998778, 6);
    const [h] = evaluateOp(Erf, [tensor('f16', [1], [1])]);
    expect(h!.dtype).toBe('f16');
    expect(toNumbers(h!)[0]).toBeCloseTo(0.8427, 3);
  });

  it('rejects integer input', () => {
    expect(() => inferOp(Erf, [{ dtype: 'i32', shape: [1] }])).toThrow(DTypeError);
  });
});

describe('Tanh', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Tanh, [{ dtype: 'f32', shape: ['b', 'hidden'] }])).toEqual([{ dtype: 'f32', shape: ['b', 'hidden'] }]);
  });

  it('matches (e^2x - 1) / (e^2x + 1)', () => {
    const xs = [-3, -0.5, 0, 0.25, 2];
    const [y] = evaluateOp(Tanh, [tensor('f32', [5], xs)]);
    const expected = xs.map((x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1));
    toNumbers(y!).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 6));
  });

  it('saturates at ±1 for large inputs', () => {
    const [y] = evaluateOp(Tanh, [tensor('f32', [2], [100, -100])]);
    expect(toNumbers(y!)).toEqual([1, -1]);
  });

  it('rejects i32 input', () => {
    expect(() => inferOp(Tanh, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});

describe('Relu', () => {
  it('accepts floats and ints with symbolic shapes', () => {
    expect(inferOp(Relu, [{ dtype: 'f32', shape: ['batch', 8] }])).toEqual([{ dtype: 'f32', shape: ['batch', 8] }]);
    expect(inferOp(Relu, [{ dtype: 'i64', shape: ['n'] }])).toEqual([{ dtype: 'i64', shape: ['n'] }]);
  });

  it('clamps negatives to zero', () => {
    const [y] = evaluateOp(Relu, [tensor('f32', [2, 3], [-2, -0.5, 0, 0.5, 3, -Infinity])]);
    expect(toNumbers(y!)).toEqual([0, 0, 0, 0.5, 3, 0]);
  });

  it('works on i64 and f16', () => {
    const [yi] = evaluateOp(Relu, [tensor('i64', [3], [-5n, 0n, 7n])]);
    expect(Array.from(yi!.data as BigInt64Array)).toEqual([0n, 0n, 7n]);
    const [yh] = evaluateOp(Relu, [tensor('f16', [2], [-1.5, 1.5])]);
    expect(yh!.dtype).toBe('f16');
    expect(toNumbers(yh!)).toEqual([0, 1.5]);
  });

  it('rejects bool input', () => {
    expect(() => inferOp(Relu, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Relu, [{ dtype: 'bool', shape: [2] }])).toThrow(/got bool\[2\]/);
  });
});

describe('Gelu', () => {
  it('keeps dtype and symbolic shape', () => {
    expect(inferOp(Gelu, [{ dtype: 'f16', shape: ['batch', 'seq', 3072] }], { approximate: 'tanh' })).toEqual([
      { dtype: 'f16', shape: ['batch', 'seq', 3072] },
    ]);
  });

  it('computes the exact (erf) form by default', () => {
    // x·Φ(x) with Φ from published normal-CDF values: Φ(1) = 0.841344746068543, Φ(-1) = 0.158655253931457, Φ(2) = 0.977249868051821.
    const [y] = evaluateOp(Gelu, [tensor('f32', [4], [0, 1, -1, 2])]);
    const values = toNumbers(y!);
    expect(values[0]).toBe(0);
    expect(values[1]).toBeCloseTo(0.841344746068543, 6);
    expect(values[2]).toBeCloseTo(-0.158655253931457, 6);
    expect(values[3]).toBeCloseTo(2 * 0.977249868051821, 6);
  });

  it('computes the tanh approximation', () => {
    const xs = [-2, -0.5, 0.5, 3];
    const [y] = evaluateOp(Gelu, [tensor('f32', [4], xs)], { approximate: 'tanh' });
    const c = Math.sqrt(2 / Math.PI);
    toNumbers(y!).forEach((value, i) => {
      const x = xs[i];
      expect(value).toBeCloseTo(0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x ** 3))), 6);
    });
  });

  it('rejects an unknown approximation and integer input', () => {
    expect(() => inferOp(Gelu, [{ dtype: 'f32', shape: [2] }], { approximate: 'fast' })).toThrow(AttributeError);
    expect(() => inferOp(Gelu, [{ dtype: 'f32', shape: [2] }], { approximate: 'fast' })).toThrow(/'none' or 'tanh', got 'fast'/);
    expect(() => inferOp(Gelu, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});

describe('Neg', () => {
  it('negates floats and integers (i32 wraps at the minimum)', () => {
    expect(toNumbers(evaluateOp(Neg, [tensor('f32', [3], [1.5, -2, 0])])[0]!)).toEqual([-1.5, 2, -0]);
    expect(toNumbers(evaluateOp(Neg, [tensor('i32', [2], [7, -(2 ** 31)])])[0]!)).toEqual([-7, -(2 ** 31)]);
    expect(evaluateOp(Neg, [tensor('i64', [1], [2n ** 60n])])[0]!.data).toEqual(new BigInt64Array([-(2n ** 60n)]));
  });

  it('refuses bool', () => {
    expect(() => inferOp(Neg, [{ dtype: 'bool', shape: [2] }])).toThrow(DTypeError);
  });
});

describe('Sigmoid', () => {
  it('is 1 / (1 + e^-x), saturating towards 0 and 1', () => {
    const values = toNumbers(evaluateOp(Sigmoid, [tensor('f32', [5], [0, 2, -2, 100, -100])])[0]!);
    expect(values[0]).toBe(0.5);
    expect(values[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
    expect(values[2]).toBeCloseTo(1 / (1 + Math.exp(2)), 7);
    expect(values[3]).toBe(1);
    expect(values[4]).toBeGreaterThan(0);
    expect(values[4]).toBeLessThan(1e-40);
  });
});

describe('Sin and Cos', () => {
  it('evaluate the exact functions in the reference', () => {
    const x = [0, Math.PI / 6, -1, 10];
    const [sin] = evaluateOp(Sin, [tensor('f32', [4], x)]);
    const [cos] = evaluateOp(Cos, [tensor('f32', [4], x)]);
    toNumbers(sin!).forEach((value, i) => expect(value).toBeCloseTo(Math.sin(Math.fround(x[i])), 7));
    toNumbers(cos!).forEach((value, i) => expect(value).toBeCloseTo(Math.cos(Math.fround(x[i])), 7));
    expect(toNumbers(evaluateOp(Sin, [tensor('f32', [2], [Infinity, NaN])])[0]!).every(Number.isNaN)).toBe(true);
  });

  it('render a body (quadrant reduction + polynomial) within 2e-7 of the exact functions for |x| < 8192', () => {
    const x = input(0, 'f32');
    for (const [fn, exact] of [[SIN_FUNCTION, Math.sin], [COS_FUNCTION, Math.cos]] as const) {
      const body = compileScalarExpr(inlineCalls(call(fn, x)));
      let worst = 0;
      for (let value = -8000; value < 8000; value += 7.31) worst = Math.max(worst, Math.abs((body([value]) as number) - exact(value)));
      for (let value = -7; value < 7; value += 0.013) worst = Math.max(worst, Math.abs((body([value]) as number) - exact(value)));
      expect(worst, fn.name).toBeLessThan(2e-7);
      expect(Number.isNaN(body([Infinity]) as number)).toBe(true);
    }
  });
});

describe('Abs, Reciprocal, Log, Floor, Ceil, Round and Sign', () => {
  const x = tensor('f32', [6], [-2.5, -0.5, 0, 0.5, 1.5, 2.5]);
  const run = (def: Parameters<typeof evaluateOp>[0], input = x) => toNumbers(evaluateOp(def, [input])[0]!);

  it('round in every direction, ties to even for Round', () => {
    expect(run(Floor)).toEqual([-3, -1, 0, 0, 1, 2]);
    expect(run(Ceil)).toEqual([-2, -0, 0, 1, 2, 3]);
    expect(run(Round)).toEqual([-2, -0, 0, 0, 2, 2]);
  });

  it('Abs and Sign take integers too; Sign keeps NaN', () => {
    expect(run(Abs)).toEqual([2.5, 0.5, 0, 0.5, 1.5, 2.5]);
    expect(toNumbers(evaluateOp(Abs, [tensor('i32', [3], [-7, 0, 2 ** 31 - 1])])[0]!)).toEqual([7, 0, 2 ** 31 - 1]);
    expect(run(Sign, tensor('f32', [4], [-0.1, 0, 3, NaN]))).toEqual([-1, 0, 1, NaN]);
    expect(Array.from(evaluateOp(Sign, [tensor('i64', [2], [-(2n ** 40n), 9n])])[0]!.data as BigInt64Array)).toEqual([-1n, 1n]);
  });

  it('Reciprocal and Log follow IEEE at 0', () => {
    expect(run(Reciprocal, tensor('f32', [3], [4, -0.5, 0]))).toEqual([0.25, -2, Infinity]);
    expect(run(Log, tensor('f32', [3], [1, 0, -1]))).toEqual([0, -Infinity, NaN]);
    expect(run(Log, tensor('f32', [1], [Math.E]))[0]).toBeCloseTo(1, 6);
  });

  it('take floats only where ONNX does', () => {
    expect(() => inferOp(Floor, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
    expect(() => inferOp(Log, [{ dtype: 'i64', shape: [2] }])).toThrow(DTypeError);
  });
});
