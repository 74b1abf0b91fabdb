import { countOps, GraphBuilder, tensor, type Graph } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { foldBatchNormPass } from './fold-batch-norm.js';
import { runAndCompare } from './test-helpers.js';

const next = seededRandom(5);
const random = (shape: number[], low = -1, high = 1) => randomTensor(next, 'f32', shape, { low, high });

function statistics(g: GraphBuilder, channels: number) {
  return [random([channels], 0.5, 1.5), random([channels]), random([channels]), random([channels], 0.2, 2)].map((value) => g.constant(value));
}

function convThenBatchNorm(options: { convBias: boolean; alsoReadConv?: boolean; training?: boolean }): Graph {
  const g = new GraphBuilder('conv_bn');
  const x = g.input('x', 'f32', ['batch', 3, 6, 6]);
  const conv = g.op('Conv', [x, g.constant(random([4, 3, 3, 3])), options.convBias ? g.constant(random([4])) : undefined], { pads: [1, 1, 1, 1] });
  g.output(g.op('BatchNormalization', [conv, ...statistics(g, 4)], { epsilon: 1e-3, ...(options.training ? { training_mode: 1 } : {}) }), 'y');
  if (options.alsoReadConv) g.output(conv, 'conv');
  return g.build();
}

describe('fold-batch-norm', () => {
  it('folds an inference BatchNormalization into the Conv before it (with and without a Conv bias): no BatchNormalization left, same numbers', () => {
    for (const convBias of [true, false]) {
      const graph = convThenBatchNorm({ convBias });
      const { changes } = runAndCompare(graph, [foldBatchNormPass], { sizes: { batch: 2 } }, 1e-5);
      expect(changes).toEqual({ 'batch-norm-into-conv': 1 });
      expect(countOps(graph)).toEqual({ Conv: 1 });
      expect(graph.nodes[0].inputs).toHaveLength(3);
    }
  });

  it('turns a BatchNormalization after something else into a per-channel multiply-add', () => {
    const g = new GraphBuilder('relu_bn');
    const relu = g.op('Relu', [g.input('x', 'f32', ['batch', 5, 4, 3])]);
    g.output(g.op('BatchNormalization', [relu, ...statistics(g, 5)]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldBatchNormPass], { sizes: { batch: 3 } });
    expect(changes).toEqual({ 'batch-norm-to-affine': 1 });
    expect(countOps(graph)).toEqual({ Relu: 1, Mul: 1, Add: 1 });
  });

  it('leaves the Conv alone when its output is read elsewhere (the BatchNormalization still becomes a multiply-add)', () => {
    const graph = convThenBatchNorm({ convBias: true, alsoReadConv: true });
    const { changes } = runAndCompare(graph, [foldBatchNormPass], { sizes: { batch: 1 } });
    expect(changes).toEqual({ 'batch-norm-to-affine': 1 });
    expect(countOps(graph)).toEqual({ Conv: 1, Mul: 1, Add: 1 });
  });

  it('keeps training mode and statistics computed at run time', () => {
    const training = convThenBatchNorm({ convBias: false, training: true });
    expect(runAndCompare(training, [foldBatchNormPass], { sizes: { batch: 2 } }).changes).toEqual({});
    const g = new GraphBuilder('runtime_stats');
    const x = g.input('x', 'f32', [1, 2, 3, 3]);
    const mean = g.input('mean', 'f32', [2]);
    g.output(g.op('BatchNormalization', [x, g.constant(tensor('f32', [2], [1, 2])), g.constant(tensor('f32', [2], [0, 1])), mean, g.constant(tensor('f32', [2], [1, 1]))]), 'y');
    const graph = g.build();
    expect(runAndCompare(graph, [foldBatchNormPass]).changes).toEqual({});
    expect(countOps(graph)).toEqual({ BatchNormalization: 1 });
  });
});
