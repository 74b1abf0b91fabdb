/**
 * Every WGSL lowering besides Attention, on the GPU, against the reference
 * interpreter: small graphs compiled with no passes (so each op reaches its
 * own lowering as written), random seeded feeds, f32 within rtol 1e-4 /
 * atol 1e-5, integers and bools exactly.
 */
import { compileProgram } from '@ladon/compiler';
import { GraphBuilder, interpret, tensor, type Graph, type Tensor, type ValueRef } from '@ladon/ir';
import { randomFeeds, seededRandom, type FillSpec } from '@ladon/ir/testing';
import { it } from 'vitest';
import { Session } from '@ladon/runtime';
import { describeGpu, expectOutputs } from '../../src/gpu.js';

/** Seeded feeds (the shared kit): floats in [-2, 2), integers in [0, 2], bools true two times in three. */
function feedsFor(graph: Graph, sizes: Readonly<Record<string, number>>, seed: number): Record<string, Tensor> {
  const fill = (name: string): FillSpec => {
    const dtype = graph.typeOf(name).dtype;
    return dtype === 'f32' ? { low: -2, high: 2 } : dtype === 'bool' ? { trueChance: 2 / 3 } : { low: 0, high: 2 };
  };
  return randomFeeds(graph, sizes, seededRandom(seed), Object.fromEntries(graph.inputs.map((name) => [name, fill(name)])));
}

async function expectMatchesReference(graph: Graph, sizes: Readonly<Record<string, number>> = {}): Promise<void> {
  const program = await compileProgram(graph, { target: 'wgsl', passes: [] });
  const session = await Session.create(program, { backend: 'webgpu' });
  try {
    const feeds = feedsFor(graph, sizes, 7);
    expectOutputs(await session.run(feeds), interpret(graph, feeds), () => ({ rtol: 1e-4, atol: 1e-5 }));
  } finally {
    session.dispose();
  }
}

function outputs(builder: GraphBuilder, values: Record<string, ValueRef>): Graph {
  for (const [name, value] of Object.entries(values)) builder.output(value, name);
  return builder.build();
}

describeGpu('WGSL lowerings on webgpu', () => {
  it('MatMul (batched, broadcast, 1-D), FusedMatMul, Gemm and Linear', async () => {
    const b = new GraphBuilder('matmuls');
    const a = b.input('a', 'f32', [2, 1, 3, 5]);
    const m = b.input('m', 'f32', [4, 5, 'n']);
    const at = b.input('at', 'f32', [2, 5, 3]);
    const bt = b.input('bt', 'f32', [2, 6, 5]);
    const g = b.input('g', 'f32', [3, 4]);
    const x = b.input('x', 'f32', [2, 3, 8]);
    const v = b.input('v', 'f32', [5]);
    const matmul = b.op('MatMul', [a, m]);
    const fused = b.op('FusedMatMul', [at, bt], { transA: 1, transB: 1, alpha: 0.5 });
    const gemm = b.op('Gemm', [g, b.constant(tensor('f32', [5, 3], Array.from({ length: 15 }, (_, i) => i / 7 - 1))), b.constant(tensor('f32', [5], [1, 2, 3, 4, 5]))], { transA: 1, transB: 1, alpha: 2, beta: 0.5 });
    const linear = b.op('Linear', [x, b.constant(tensor('f32', [6, 8], Array.from({ length: 48 }, (_, i) => Math.sin(i)))), b.constant(tensor('f32', [6], [0, 1, 2, 3, 4, 5]))], { transB: 1 });
    const vector = b.op('MatMul', [v, m]);
    await expectMatchesReference(outputs(b, { matmul, fused, gemm, linear, vector }), { n: 7 });
  });

  it('element-wise ops with broadcasting', async () => {
    const b = new GraphBuilder('elementwise');
    const x = b.input('x', 'f32', [2, 'n', 4]);
    const y = b.input('y', 'f32', ['n', 1]);
    const i = b.input('i', 'i64', [2, 'n', 4]);
    const j = b.input('j', 'i64', [4]);
    const sum = b.op('Add', [x, y]);
    const positive = b.op('Exp', [b.op('Sub', [x, y])]);
    const mixed = b.op('Div', [b.op('Mul', [sum, positive]), b.op('Sqrt', [positive])]);
    const power = b.op('Pow', [positive, y]);
    const unary = b.op('Add', [b.op('Relu', [x]), b.op('Add', [b.op('Tanh', [x]), b.op('Erf', [x])])]);
    const gelus = b.op('Add', [b.op('Gelu', [x]), b.op('Gelu', [x], { approximate: 'tanh' })]);
    const equal = b.op('Equal', [i, j]);
    const chosen = b.op('Where', [equal, x, y]);
    const casts = b.op('Add', [b.op('Cast', [equal], { to: 1 }), b.op('Cast', [i], { to: 1 })]);
    const truncated = b.op('Cast', [b.op('Mul', [x, b.scalar(3)])], { to: 6 });
    const integers = b.op('Sub', [i, j]);
    await expectMatchesReference(outputs(b, { sum, mixed, power, unary, gelus, equal, chosen, casts, truncated, integers }), { n: 3 });
  });

  it('copies: Transpose, Slice (negative step), Split, Concat, Expand', async () => {
    const b = new GraphBuilder('copies');
    const x = b.input('x', 'f32', [2, 'n', 4, 5]);
    const transposed = b.op('Transpose', [x], { perm: [2, 0, 3, 1] });
    const sliced = b.op('Slice', [x, b.ints([3, 1]), b.ints([0, 5]), b.ints([2, 3]), b.ints([-1, 2])]);
    const [first, second, third] = b.opMulti('Split', [x, b.ints([1, 3, 1])], { axis: 3 }, 3);
    const joined = b.op('Concat', [third!, first!, second!], { axis: 3 });
    const expanded = b.op('Expand', [b.input('e', 'f32', [3, 1]), b.ints([2, 3, 4])]);
    await expectMatchesReference(outputs(b, { transposed, sliced, first: first!, joined, expanded }), { n: 3 });
  });

  it('rows and indices: Softmax, LayerNormalization, Gather, Range', async () => {
    const b = new GraphBuilder('rows');
    const x = b.input('x', 'f32', [2, 'n', 6]);
    const softmax = b.op('Softmax', [x], { axis: 1 });
    const normalized = b.op('LayerNormalization', [x, b.constant(tensor('f32', [6], [1, 2, 3, 1, 2, 3])), b.constant(tensor('f32', [6], [0, 0.5, 1, 0, 0.5, 1]))]);
    const noBias = b.op('LayerNormalization', [x, b.constant(tensor('f32', [6], [1, 1, 1, 2, 2, 2]))], { axis: 2, epsilon: 1e-3 });
    const gathered = b.op('Gather', [x, b.ints([-1, 0, 2, 0])], { axis: 2 });
    const seq = b.op('Gather', [b.op('Shape', [x]), b.constant(tensor('i64', [], [1]))]);
    const positions = b.op('Range', [b.constant(tensor('i64', [], [0])), seq, b.constant(tensor('i64', [], [1]))]);
    const steps = b.op('Cast', [positions], { to: 1 });
    await expectMatchesReference(outputs(b, { softmax, normalized, noBias, gathered, steps }), { n: 3 });
  });

  it('Trilu: upper and lower triangles with k from a constant', async () => {
    const b = new GraphBuilder('trilu');
    const x = b.input('x', 'f32', [2, 'rows', 6]);
    const ids = b.input('ids', 'i64', [5, 5]);
    const graph = outputs(b, {
      upper: b.op('Trilu', [x]),
      lower: b.op('Trilu', [x, b.constant(tensor('i64', [], [-1]))], { upper: 0 }),
      shifted: b.op('Trilu', [ids, b.constant(tensor('i64', [], [2]))]),
    });
    await expectMatchesReference(graph, { rows: 4 });
  });

  it('reductions and fills: ReduceSum, ReduceMean, ConstantOfShape', async () => {
    const b = new GraphBuilder('reductions');
    const x = b.input('x', 'f32', [2, 'n', 4, 3]);
    const i = b.input('i', 'i32', [2, 'n']);
    const sum = b.op('ReduceSum', [x, b.ints([1, 3])]);
    const mean = b.op('ReduceMean', [x, b.ints([-2])], { keepdims: 0 });
    const everything = b.op('ReduceSum', [i], { keepdims: 0 });
    const filled = b.op('Add', [x, b.op('ConstantOfShape', [b.op('Shape', [x])], { value: tensor('f32', [1], [2.5]) })]);
    const ones = b.op('ConstantOfShape', [b.op('Shape', [i])], { value: tensor('i64', [1], [-3]) });
    await expectMatchesReference(outputs(b, { sum, mean, everything, filled, ones }), { n: 3 });
  });
});
