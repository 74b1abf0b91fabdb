/**
 * The reductions, normalizations and line ops on wasm and WebGPU against
 * the reference interpreter where their input is not a plain contiguous
 * tensor (a Transpose or a strided Slice in front, which lower to views)
 * and where sizes are 1 or 0 (a size-1 reduced or softmaxed axis, a
 * zero-size batch bound at run time).
 */
import { GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { describe, it } from 'vitest';
import { describeGpu } from '../../src/gpu.js';
import { checkOnWasm } from '../../src/wasm-check.js';
import { checkOnWebGpu } from '../../src/webgpu-check.js';

/** Every op family of this branch applied to `x` (rank 3, last axis of 6 unless said), one output each. */
function everyFamily(g: GraphBuilder, x: ValueRef, last = 6): void {
  g.output(g.op('ReduceSum', [x, g.ints([1])]), 'sum');
  g.output(g.op('ReduceMax', [x, g.ints([-1])], { keepdims: 0 }), 'max');
  g.output(g.op('ReduceLogSumExp', [x, g.ints([0, 2])]), 'log_sum_exp');
  g.output(g.op('Softmax', [x], { axis: 1 }), 'softmax');
  g.output(g.op('LogSoftmax', [x], { axis: -1 }), 'log_softmax');
  g.output(g.op('LayerNormalization', [x, g.constant(tensor('f32', [last], new Float32Array(last).fill(1.5)))], { axis: -1 }), 'layer_norm');
  g.output(g.op('RMSNormalization', [x, g.constant(tensor('f32', [last], new Float32Array(last).fill(0.5)))], { axis: -1 }), 'rms_norm');
  const [values, indices] = g.opMulti('TopK', [x, g.constant(tensor('i64', [1], [1n]))], { axis: -1 }, 2);
  g.output(values!, 'top_values');
  g.output(indices!, 'top_indices');
  g.output(g.op('ArgMin', [x], { axis: 0, select_last_index: 1 }), 'arg_min');
  g.output(g.op('CumSum', [x, g.constant(tensor('i64', [], [1n]))], { reverse: 1 }), 'cum_sum');
  g.output(g.op('MatMul', [x, g.constant(tensor('f32', [last, 3], Float32Array.from({ length: last * 3 }, (_, i) => (i % 5) - 2)))]), 'matmul');
}

function transposed(): Graph {
  const g = new GraphBuilder('transposed');
  everyFamily(g, g.op('Transpose', [g.input('x', 'f32', ['seq', 'batch', 6])], { perm: [1, 0, 2] }));
  return g.build();
}

function stridedSlice(): Graph {
  const g = new GraphBuilder('strided_slice');
  const x = g.input('x', 'f32', ['batch', 'seq', 12]);
  everyFamily(g, g.op('Slice', [x, g.ints([1]), g.ints([12]), g.ints([2]), g.ints([2])]));
  return g.build();
}

function sizeOne(): Graph {
  const g = new GraphBuilder('size_one');
  everyFamily(g, g.input('x', 'f32', ['batch', 1, 1]), 1);
  return g.build();
}

function zeroBatch(): Graph {
  const g = new GraphBuilder('zero_batch');
  const x = g.input('x', 'f32', ['batch', 'seq', 6]);
  everyFamily(g, g.op('Transpose', [x], { perm: [1, 0, 2] }));
  return g.build();
}

const CASES = [
  { name: 'after a Transpose', graph: transposed, sizes: [{ batch: 2, seq: 3 }, { batch: 1, seq: 5 }] },
  { name: 'after a Slice with step 2', graph: stridedSlice, sizes: [{ batch: 2, seq: 3 }, { batch: 3, seq: 1 }] },
  { name: 'size-1 axes', graph: sizeOne, sizes: [{ batch: 3 }, { batch: 1 }] },
  { name: 'a zero-size batch beside others', graph: zeroBatch, sizes: [{ batch: 0, seq: 3 }, { batch: 2, seq: 4 }] },
];

describe('views and edge sizes on wasm', () => {
  it.each(CASES)('$name', async ({ graph, sizes }) => {
    await checkOnWasm(graph(), { sizes, tolerance: { rtol: 1e-5, atol: 1e-5 } });
  });
});

describeGpu('views and edge sizes on webgpu', () => {
  it.each(CASES)('$name', async ({ graph, sizes }) => {
    await checkOnWebGpu(graph(), { sizes });
  });
});
