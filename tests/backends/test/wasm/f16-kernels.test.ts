/**
 * f16 through the wasm kernels that compute in f32 (WasmLowering.inF32):
 * f16 inputs converted into f32 copies, an f16 result rounded back once —
 * the reference interpreter's contract. Matrix products (packed Linear and
 * the general GEMM), LayerNormalization and Softmax, on symbolic sizes.
 */
import { GraphBuilder } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { checkOnWasm } from '../../src/wasm-check.js';

/** The kernels sum in f32 where the reference sums in f64; both round to f16 once: one half ulp apart at most. */
const HALF = { rtol: 2e-3, atol: 2e-3 };
const SIZES = [{ batch: 2, seq: 7 }, { batch: 1, seq: 1 }, { batch: 3, seq: 13 }];

describe('wasm f16 in f32 copies', () => {
  it.each([false, true])('Linear with a constant f16 weight and bias (packed), transB=%s', async (transB) => {
    const next = seededRandom(7);
    const g = new GraphBuilder('linear_f16');
    const x = g.input('x', 'f16', ['batch', 'seq', 24]);
    const w = g.constant(randomTensor(next, 'f16', transB ? [10, 24] : [24, 10], { low: -1, high: 1 }));
    const b = g.constant(randomTensor(next, 'f16', [10]));
    g.output(g.op('Linear', [x, w, b], transB ? { transB: 1 } : {}), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, tolerance: HALF });
  });

  it('MatMul of two computed f16 operands with a broadcast batch (general GEMM)', async () => {
    const g = new GraphBuilder('matmul_f16');
    const a = g.input('a', 'f16', ['batch', 'seq', 9]);
    const b = g.input('b', 'f16', [1, 9, 'seq']);
    g.output(g.op('MatMul', [a, b]), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, tolerance: HALF });
  });

  it('MatMul of an f16 operand by itself (one conversion feeds both operands)', async () => {
    const g = new GraphBuilder('matmul_f16_square');
    const a = g.input('a', 'f16', ['seq', 'seq']);
    g.output(g.op('MatMul', [a, a]), 'y');
    await checkOnWasm(g.build(), { sizes: [{ seq: 5 }, { seq: 1 }], tolerance: HALF });
  });

  it('LayerNormalization with f16 scale and bias, and its optional outputs', async () => {
    const next = seededRandom(11);
    const g = new GraphBuilder('layer_norm_f16');
    const x = g.input('x', 'f16', ['batch', 'seq', 33]);
    const scale = g.constant(randomTensor(next, 'f16', [33], { low: 0.5, high: 1.5 }));
    const bias = g.constant(randomTensor(next, 'f16', [33]));
    const [y, mean, invStd] = g.opMulti('LayerNormalization', [x, scale, bias], { axis: -1, epsilon: 1e-5 }, 3);
    g.output(y!, 'y');
    g.output(mean!, 'mean');
    g.output(invStd!, 'inv_std');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { x: { low: -3, high: 5 } }, tolerance: HALF });
  });

  it.each([-1, 1])('Softmax of f16 along axis %s', async (axis) => {
    const g = new GraphBuilder('softmax_f16');
    g.output(g.op('Softmax', [g.input('x', 'f16', ['batch', 'seq', 6])], { axis }), 'y');
    await checkOnWasm(g.build(), { sizes: SIZES, fills: { x: { low: -8, high: 8 } }, tolerance: HALF });
  });
});
