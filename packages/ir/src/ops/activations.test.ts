/** The parametrised activations of activations.ts on values worked out by hand, their defaults, and their kernel names. */
import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { InferContext } from '../op-def.js';
import { elementwiseContext } from './elementwise.js';
import { Elu, HardSigmoid, HardSwish, LeakyRelu, Mish, Selu, Softplus, Softsign } from './activations.js';

const x = tensor('f32', [5], [-2, -0.5, 0, 0.5, 3]);

function values(def: Parameters<typeof evaluateOp>[0], attrs: Record<string, number> = {}): number[] {
  return toNumbers(evaluateOp(def, [x], attrs)[0]!);
}

describe('activations', () => {
  it('LeakyRelu scales negatives by alpha (default 0.01)', () => {
    expect(values(LeakyRelu, { alpha: 0.5 })).toEqual([-1, -0.25, 0, 0.5, 3]);
    expect(values(LeakyRelu)[0]).toBeCloseTo(-0.02, 7);
  });

  it('Elu is alpha·(e^x - 1) below zero', () => {
    const [a, b, ...rest] = values(Elu, { alpha: 2 });
    expect(a).toBeCloseTo(2 * (Math.exp(-2) - 1), 6);
    expect(b).toBeCloseTo(2 * (Math.exp(-0.5) - 1), 6);
    expect(rest).toEqual([0, 0.5, 3]);
  });

  it('Selu uses the ONNX constants by default', () => {
    const [a, , zero, , c] = values(Selu);
    expect(a).toBeCloseTo(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-2) - 1), 6);
    expect(zero).toBe(0);
    expect(c).toBeCloseTo(3 * 1.0507009873554805, 5);
    expect(values(Selu, { alpha: 2, gamma: 3 })[1]).toBeCloseTo(3 * (2 * Math.exp(-0.5) - 2), 6);
  });

  it('HardSigmoid and HardSwish clamp a line to [0, 1]', () => {
    expect(values(HardSigmoid, { alpha: 0.5, beta: 0.6 }).map((value) => Math.round(value * 1e6) / 1e6)).toEqual([0, 0.35, 0.6, 0.85, 1]);
    expect(values(HardSigmoid)).toEqual([0.1, 0.4, 0.5, 0.6, 1].map(Math.fround));
    expect(values(HardSwish).map((value) => Math.round(value * 1e6) / 1e6)).toEqual([-0.333333, -0.208333, 0, 0.291667, 3]);
  });

  it('Softplus does not overflow; Softsign and Mish follow their formulas', () => {
    const [big, small] = toNumbers(evaluateOp(Softplus, [tensor('f32', [2], [100, -100])])[0]!);
    expect(big).toBe(100);
    expect(Math.abs(small)).toBeLessThan(1e-40);
    expect(values(Softsign)).toEqual([-2 / 3, -1 / 3, 0, 1 / 3, 0.75].map(Math.fround));
    expect(values(Mish)[4]).toBeCloseTo(3 * Math.tanh(Math.log(1 + Math.exp(3))), 6);
  });

  it('name the parameters in the kernel variant, so different values never share a kernel', () => {
    const node = { op: 'LeakyRelu', inputs: ['x'], outputs: ['y'], attrs: { alpha: 0.25 } };
    const ctx = new InferContext(node, LeakyRelu, [{ dtype: 'f32', shape: [2] }], [], []);
    expect(LeakyRelu.elementwise!.variant!(elementwiseContext(ctx, ['f32'], 'f32'))).toBe('_0p25');
  });

  it('take floats only', () => {
    expect(() => inferOp(Elu, [{ dtype: 'i32', shape: [2] }])).toThrow(DTypeError);
  });
});
