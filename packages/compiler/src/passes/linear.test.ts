import { countOps, GraphBuilder, tensor, type Graph, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { linearPass } from './linear.js';
import { runAndCompare } from './test-helpers.js';
import { seededRandom } from '@ladon/ir/testing';

function weights(shape: readonly number[], seed: number): Tensor {
  const random = seededRandom(seed);
  return tensor('f32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() - 0.5));
}

function linearNode(graph: Graph) {
  return graph.nodes.find((node) => node.op === 'Linear')!;
}

describe('linear', () => {
  it('turns Gemm(A, W, C, transB=1) into Linear(A, W, C, transB=1)', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', ['rows', 8]);
    g.output(g.op('Gemm', [a, g.constant(weights([4, 8], 1)), g.constant(weights([4], 2))], { alpha: 1, beta: 1, transB: 1 }), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [linearPass], { sizes: { rows: 5 } });
    expect(changes).toEqual({ 'gemm-to-linear': 1 });
    expect(countOps(graph)).toEqual({ Linear: 1 });
    expect(linearNode(graph).attrs).toEqual({ transB: 1 });
  });

  it('turns a Gemm bias [1, N] into a vector and accepts a Gemm without bias', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [3, 8]);
    const first = g.op('Gemm', [a, g.constant(weights([8, 4], 3)), g.constant(weights([1, 4], 4))]);
    g.output(g.op('Gemm', [first, g.constant(weights([4, 2], 5))]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [linearPass]);
    expect(changes).toEqual({ 'gemm-to-linear': 2 });
    expect(countOps(graph)).toEqual({ Linear: 2 });
    expect(graph.typeOf(graph.nodes[0].inputs[2]).shape).toEqual([4]);
  });

  it('turns MatMul(x, W) + Add(bias) (bias first, as PyTorch writes it) into one Linear', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    const product = g.op('MatMul', [x, g.constant(weights([8, 4], 6))]);
    g.output(g.op('Add', [g.constant(weights([4], 7)), product]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [linearPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({ 'matmul-to-linear': 1, 'linear-bias': 1 });
    expect(countOps(graph)).toEqual({ Linear: 1 });
    expect(linearNode(graph).inputs).toHaveLength(3);
    expect(linearNode(graph).outputs).toEqual(['y']);
  });

  it('takes a broadcast-equivalent bias [1, 1, N]', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    const product = g.op('MatMul', [x, g.constant(weights([8, 4], 8))]);
    g.output(g.op('Add', [product, g.constant(weights([1, 1, 4], 9))]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [linearPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({ 'matmul-to-linear': 1, 'linear-bias': 1 });
    expect(countOps(graph)).toEqual({ Linear: 1 });
  });

  it('keeps the Add when the projection is read elsewhere or the bias is not a vector', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['seq', 8]);
    const shared = g.op('MatMul', [x, g.constant(weights([8, 4], 10))]);
    g.output(g.op('Add', [shared, g.constant(weights([4], 11))]), 'y');
    g.output(g.op('Relu', [shared]), 'z');
    const perRow = g.op('MatMul', [x, g.constant(weights([8, 4], 12))]);
    g.output(g.op('Add', [perRow, g.constant(weights([3, 4], 13))]), 'w');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [linearPass], { sizes: { seq: 3 } });
    expect(changes).toEqual({ 'matmul-to-linear': 2 });
    expect(countOps(graph)).toEqual({ Linear: 2, Add: 2, Relu: 1 });
  });

  it('keeps MatMuls without a constant 2-D weight, and Gemms with alpha, beta or transA', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [3, 8]);
    const w = g.input('w', 'f32', [8, 8]);
    const dynamic = g.op('MatMul', [x, w]);
    const batched = g.op('MatMul', [g.op('Unsqueeze', [dynamic, g.ints([0])]), g.constant(weights([2, 8, 8], 14))]);
    g.output(batched, 'y');
    g.output(g.op('Gemm', [x, g.constant(weights([8, 4], 15))], { alpha: 2 }), 'scaled');
    g.output(g.op('Gemm', [x, g.constant(weights([8, 4], 16)), g.constant(weights([4], 17))], { beta: 0.5 }), 'damped');
    g.output(g.op('Gemm', [g.constant(weights([8, 3], 18)), w], { transA: 1 }), 'transposed');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [linearPass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });
});
