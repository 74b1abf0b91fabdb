/**
 * f16 nodes on wasm: the kernels that compute in f32 (products, norms,
 * softmaxes, reductions, line ops, rotary embedding) take f16 tensors
 * through f32 stand-ins — inputs converted (constants at compile time),
 * results rounded to f16 once — and match the reference interpreter, which
 * computes f16 in f32 or f64 and rounds once.
 */
import { GraphBuilder, tensor, toleranceFor } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, it } from 'vitest';
import { checkOnWasm } from '../../src/wasm-check.js';

describe('f16 on wasm, computed in f32', () => {
  it('MatMul with an f16 weight, Gemm, Layer/RMSNorm, (Log)Softmax, reductions, TopK, ArgMax, CumSum, RotaryEmbedding', async () => {
    const next = seededRandom(5);
    const g = new GraphBuilder('half');
    const x = g.input('x', 'f16', ['batch', 'seq', 8]);
    const weight = g.constant(randomTensor(next, 'f16', [8, 8]));
    const scale = g.constant(randomTensor(next, 'f16', [8], { low: 0.5, high: 1.5 }));
    const projected = g.op('MatMul', [x, weight]);
    g.output(g.op('Gemm', [g.input('a', 'f16', [3, 8]), weight, g.constant(randomTensor(next, 'f16', [3, 8]))], { beta: 0.5 }), 'gemm');
    g.output(g.op('LayerNormalization', [projected, scale, g.constant(randomTensor(next, 'f16', [8]))]), 'layer_norm');
    g.output(projected, 'projected');
    g.output(g.op('RMSNormalization', [x, scale]), 'rms_norm');
    g.output(g.op('Softmax', [x], { axis: 1 }), 'softmax');
    g.output(g.op('LogSoftmax', [x]), 'log_softmax');
    g.output(g.op('ReduceMean', [x, g.ints([-1])]), 'mean');
    g.output(g.op('ReduceLogSumExp', [x, g.ints([1])]), 'log_sum_exp');
    const [values, indices] = g.opMulti('TopK', [x, g.constant(tensor('i64', [1], [3n]))], {}, 2);
    g.output(values!, 'top_values');
    g.output(indices!, 'top_indices');
    g.output(g.op('ArgMax', [x], { axis: 1 }), 'argmax');
    g.output(g.op('CumSum', [x, g.constant(tensor('i64', [], [2n]))]), 'sums');
    const caches = ['cos', 'sin'].map((name) => g.input(name, 'f16', ['batch', 'seq', 4]));
    g.output(g.op('RotaryEmbedding', [g.op('Unsqueeze', [x, g.ints([1])]), ...caches]), 'rotated');
    await checkOnWasm(g.build(), { sizes: [{ batch: 2, seq: 5 }, { batch: 1, seq: 3 }], tolerance: toleranceFor('f16') });
  });
});
