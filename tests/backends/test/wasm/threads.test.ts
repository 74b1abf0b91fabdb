/**
 * Compiled programs on several wasm threads: results with 2 and 3 threads
 * equal the 1-thread results bit for bit — each query tile, each block of
 * GEMM rows and each normalised row is computed whole by one thread with
 * the same code, so every reduction runs in the same order — for attention
 * (plain, causal, GQA), LayerNorm, a Linear/attention/Linear block, and the
 * vision kernels: Conv (row blocks; pixel blocks when pointwise, with a
 * tail tile), depthwise Conv (channel blocks), pools (planes) and CBAM
 * (images), each with its own padded scratch per thread. The
 * sizes are large enough that the split steps do run in parts. (Lifecycle,
 * faults and the worker pool: packages/runtime/src/wasm/threads*.test.ts.)
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, type Attributes, type Graph, type Program, type Tensor, type ValueRef } from '@ladon/ir';
import { randomTensor as randomOf, seededRandom } from '@ladon/ir/testing';
import { WasmSession } from '@ladon/runtime';
import { describe, expect, it } from 'vitest';

const next = seededRandom(5);
const randomTensor = (shape: number[]): Tensor => randomOf(next, 'f32', shape);

/** Attention on [1, H, S, D] queries and [1, Hkv, Skv, D] keys and values. */
function attentionGraph(heads: number, kvHeads: number, keys: number, size: number, attrs: Attributes = {}): Graph {
  const g = new GraphBuilder('threads_attention');
  const q = g.input('q', 'f32', [1, heads, 'seq', size]);
  const [k, v] = ['k', 'v'].map((name) => g.input(name, 'f32', [1, kvHeads, keys, size]));
  g.output(g.op('Attention', [q, k, v], attrs), 'y');
  return g.build();
}

/** Linear ×3 (packed by the compiler), causal attention, Linear: the MHA block's splittable steps. */
function blockGraph(width: number, heads: number): Graph {
  const g = new GraphBuilder('threads_block');
  const x = g.input('x', 'f32', [1, 'seq', width]);
  const linear = (input: ValueRef): ValueRef => g.op('Linear', [input, g.constant(randomTensor([width, width])), g.constant(randomTensor([width]))]);
  const context = g.op('Attention', [linear(x), linear(x), linear(x)], { q_num_heads: heads, kv_num_heads: heads, is_causal: 1 });
  g.output(linear(context), 'y');
  return g.build();
}

function layerNormGraph(width: number): Graph {
  const g = new GraphBuilder('threads_layer_norm');
  const x = g.input('x', 'f32', [2, 'seq', width]);
  const outputs = g.opMulti('LayerNormalization', [x, g.constant(randomTensor([width])), g.constant(randomTensor([width]))], { axis: -1 }, 3);
  outputs.forEach((value, index) => g.output(value!, ['y', 'mean', 'invStd'][index]));
  return g.build();
}

/** One vision op on a [batch, channels, height, width] input, constant weights. */
function visionGraph(op: string, input: number[], weights: number[][], attrs: Attributes = {}, outputs = 1): Graph {
  const g = new GraphBuilder(`threads_${op}`);
  const x = g.input('x', 'f32', input);
  const results = g.opMulti(op, [x, ...weights.map((shape) => g.constant(randomTensor(shape)))], attrs, outputs);
  results.forEach((value, index) => g.output(value!, `y${index}`));
  return g.build();
}

const visionCase = (name: string, op: string, input: number[], weights: number[][], attrs: Attributes = {}, outputs = 1) => ({
  name,
  graph: () => visionGraph(op, input, weights, attrs, outputs),
  feeds: () => ({ x: randomTensor(input) }),
  split: [op],
});

async function outputsWith(program: Program, feeds: Record<string, Tensor>, numThreads: number): Promise<{ outputs: Record<string, number[]>; threads: number }> {
  const session = await WasmSession.create(program, { numThreads });
  try {
    const outputs = await session.run(feeds);
    return { outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, Array.from(value.data as Float32Array)])), threads: session.threads };
  } finally {
    session.dispose();
  }
}

const cases: { name: string; graph: () => Graph; feeds: () => Record<string, Tensor>; split: string[] }[] = [
  { name: 'attention', graph: () => attentionGraph(4, 4, 72, 32), feeds: () => ({ q: randomTensor([1, 4, 72, 32]), k: randomTensor([1, 4, 72, 32]), v: randomTensor([1, 4, 72, 32]) }), split: ['Attention'] },
  { name: 'causal attention', graph: () => attentionGraph(3, 3, 90, 32, { is_causal: 1 }), feeds: () => ({ q: randomTensor([1, 3, 90, 32]), k: randomTensor([1, 3, 90, 32]), v: randomTensor([1, 3, 90, 32]) }), split: ['Attention'] },
  { name: 'GQA attention, 10 query tiles per head', graph: () => attentionGraph(6, 2, 160, 16), feeds: () => ({ q: randomTensor([1, 6, 40, 16]), k: randomTensor([1, 2, 160, 16]), v: randomTensor([1, 2, 160, 16]) }), split: ['Attention'] },
  { name: 'LayerNormalization with Mean and InvStdDev', graph: () => layerNormGraph(384), feeds: () => ({ x: randomTensor([2, 300, 384]) }), split: ['LayerNormalization'] },
  { name: 'Linear, causal attention, Linear', graph: () => blockGraph(64, 4), feeds: () => ({ x: randomTensor([1, 96, 64]) }), split: ['Linear', 'Attention', 'Linear'] },
  visionCase('3×3 Conv, padded, strided rows', 'Conv', [2, 16, 30, 30], [[24, 16, 3, 3], [24]], { pads: [1, 1, 1, 1], strides: [1, 2] }),
  visionCase('pointwise Conv, pixel blocks with a tail tile', 'Conv', [1, 64, 27, 27], [[64, 64, 1, 1], [64]]),
  visionCase('depthwise Conv, channel blocks', 'Conv', [2, 64, 28, 28], [[64, 1, 3, 3], [64]], { group: 64, pads: [1, 1, 1, 1] }),
  visionCase('MaxPool, planes', 'MaxPool', [2, 64, 56, 56], [], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  visionCase('GlobalAveragePool, planes', 'GlobalAveragePool', [4, 256, 32, 32], []),
  visionCase('CBAM with its maps, images', 'CBAM', [3, 128, 28, 28], [[32, 128], [32], [128, 32], [128], [1, 2, 7, 7], [1]], {}, 3),
];

describe('compiled programs on several wasm threads', () => {
  it.each(cases)('$name: 2 and 3 threads give the 1-thread result bit for bit', async ({ graph, feeds, split }) => {
    const program = await compileProgram(graph(), { target: 'wasm', relaxedSimd: false });
    expect(program.steps.filter((step) => step.split).map((step) => step.op)).toEqual(split);
    const input = feeds();
    const single = await outputsWith(program, input, 1);
    expect(single.threads).toBe(1);
    for (const numThreads of [2, 3]) {
      const multi = await outputsWith(program, input, numThreads);
      expect(multi.threads).toBe(numThreads);
      expect(multi.outputs).toEqual(single.outputs);
    }
  });
});
