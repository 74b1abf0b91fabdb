import { countOps, GraphBuilder, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { linearPass } from '../linear.js';
import { runAndCompare } from '../test-helpers.js';
import { fuseCbamPass } from './fuse-cbam.js';

const next = seededRandom(9);
const weight = (g: GraphBuilder, shape: number[]) => g.constant(randomTensor(next, 'f32', shape, { low: -0.8, high: 0.8 }));

/** relu(W1·v + b1) then W2·h + b2, as Gemm with transB (PyTorch's Linear) or as 1×1 Convs on [N, C, 1, 1]. */
function mlp(g: GraphBuilder, v: ValueRef, layers: { w1: ValueRef; b1: ValueRef; w2: ValueRef; b2: ValueRef }, form: 'gemm' | 'conv'): ValueRef {
  if (form === 'conv') return g.op('Conv', [g.op('Relu', [g.op('Conv', [v, layers.w1, layers.b1])]), layers.w2, layers.b2]);
  return g.op('Gemm', [g.op('Relu', [g.op('Gemm', [v, layers.w1, layers.b1], { transB: 1 })]), layers.w2, layers.b2], { transB: 1 });
}

/** A channel-attention module: x · sigmoid(mlp(avg(x)) + mlp(max(x))). */
function channelAttention(options: { form: 'gemm' | 'conv'; maxFirst?: boolean; exportMap?: boolean; readPool?: boolean; differentWeights?: boolean }): Graph {
  const [c, r] = [8, 2];
  const g = new GraphBuilder('channel_attention');
  const x = g.op('Relu', [g.input('x', 'f32', ['batch', c, 5, 6])]);
  const convForm = options.form === 'conv';
  const shape = (rank: number[]) => g.ints(rank);
  const layers = convForm
    ? { w1: weight(g, [r, c, 1, 1]), b1: weight(g, [r]), w2: weight(g, [c, r, 1, 1]), b2: weight(g, [c]) }
    : { w1: weight(g, [r, c]), b1: weight(g, [r]), w2: weight(g, [c, r]), b2: weight(g, [c]) };
  const other = options.differentWeights ? { ...layers, b2: weight(g, [c]) } : layers;
  const pooled = (op: string) => (convForm ? g.op(op, [x]) : g.op('Reshape', [g.op(op, [x]), shape([-1, c])]));
  const [avg, max] = [pooled('GlobalAveragePool'), pooled('GlobalMaxPool')];
  const branches = [mlp(g, avg, layers, options.form), mlp(g, max, other, options.form)];
  const gate = g.op('Sigmoid', [g.op('Add', options.maxFirst ? branches.reverse() : branches)]);
  const map = convForm ? gate : g.op('Reshape', [gate, shape([-1, c, 1, 1])]);
  g.output(g.op('Mul', [x, map]), 'y');
  if (options.exportMap) g.output(map, 'channel_map');
  if (options.readPool) g.output(avg, 'pooled');
  return g.build();
}

describe('fuse-cbam: channel attention', () => {
  it('fuses the Linear (Gemm) form into one CBAM node with no Sigmoid left, same numbers', () => {
    const graph = channelAttention({ form: 'gemm' });
    const { changes } = runAndCompare(graph, [linearPass, fuseCbamPass], { sizes: { batch: 2 } });
    expect(changes['cbam-channel']).toBe(1);
    expect(countOps(graph)).toEqual({ Relu: 1, CBAM: 1 });
  });

  it('fuses the 1×1-conv form and the branches in either order', () => {
    for (const maxFirst of [false, true]) {
      const graph = channelAttention({ form: 'conv', maxFirst });
      const { changes } = runAndCompare(graph, [fuseCbamPass], { sizes: { batch: 3 } });
      expect(changes).toEqual({ 'cbam-channel': 1 });
      expect(countOps(graph)).toEqual({ Relu: 1, CBAM: 1 });
    }
  });

  it('still fuses when the attention map is a graph output: it becomes the CBAM map output', () => {
    const graph = channelAttention({ form: 'gemm', exportMap: true });
    const { changes } = runAndCompare(graph, [linearPass, fuseCbamPass], { sizes: { batch: 2 } });
    expect(changes['cbam-channel']).toBe(1);
    expect(countOps(graph)).toEqual({ Relu: 1, CBAM: 1 });
    expect(graph.nodes.find((node) => node.op === 'CBAM')!.outputs[1]).toBe('channel_map');
  });

  it('does not fuse when a pooled vector is read elsewhere, or when the two branches use different MLPs', () => {
    for (const graph of [channelAttention({ form: 'conv', readPool: true }), channelAttention({ form: 'conv', differentWeights: true })]) {
      const { changes } = runAndCompare(graph, [fuseCbamPass], { sizes: { batch: 2 } });
      expect(changes).toEqual({});
      expect(countOps(graph).Sigmoid).toBe(1);
    }
  });
});
