import { GraphBuilder, interpret, LadonError, printGraph, tensor, type Graph, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { OnnxExportError } from './export-errors.js';
import { exportOnnxModel } from './export-model.js';
import { importOnnxModel } from './import-model.js';

/** Deterministic values in [-1, 1). */
function ramp(count: number, seed: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => (((i * 7919 + seed * 104729) % 997) / 997) * 2 - 1);
}

/** Causal attention, unfused as an exporter writes it: MatMul(Q, Kᵀ) · scale, Trilu mask, Where, Softmax, ·V. */
function causalAttentionGraph(): Graph {
  const g = new GraphBuilder('causal_attention');
  const q = g.input('q', 'f32', ['batch', 2, 'seq', 4]);
  const k = g.input('k', 'f32', ['batch', 2, 'seq', 4]);
  const v = g.input('v', 'f32', ['batch', 2, 'seq', 4]);
  const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.scalar(0.5)]);
  const ones = g.op('ConstantOfShape', [g.op('Shape', [scores])], { value: tensor('bool', [1], [1]) });
  const keep = g.op('Trilu', [ones], { upper: 0 });
  const masked = g.op('Where', [keep, scores, g.scalar(-Infinity)]);
  g.output(g.op('MatMul', [g.op('Softmax', [masked], { axis: -1 }), v]), 'out');
  return g.build();
}

/** A small MHA-like block: projection weights, head split, LayerNormalization, a Constant node and a Cast. */
function blockGraph(): Graph {
  const g = new GraphBuilder('block');
  const x = g.input('x', 'f32', [1, 3, 4]);
  const w = g.constant(tensor('f32', [4, 4], ramp(16, 1)), 'w');
  const heads = g.op('Reshape', [g.op('MatMul', [x, w]), g.ints([0, 0, 2, 2])]);
  const merged = g.op('Reshape', [g.op('Transpose', [heads], { perm: [0, 2, 1, 3] }), g.ints([1, 3, 4])]);
  const shift = g.op('Constant', [], { value: tensor('f32', [4], [0.1, 0.2, 0.3, 0.4]) });
  const gamma = g.constant(tensor('f32', [4], [1, 1.5, 0.5, 1]), 'gamma');
  const normed = g.op('LayerNormalization', [g.op('Add', [merged, shift]), gamma], { axis: -1, epsilon: 1e-5 });
  const half = g.op('Cast', [g.op('Cast', [normed], { to: 10 })], { to: 1 });
  g.output(half, 'y');
  return g.build();
}

function roundTrip(graph: Graph, feeds: Record<string, Tensor>, opset?: number): void {
  const imported = importOnnxModel(exportOnnxModel(graph, opset === undefined ? {} : { opset }));
  const expected = interpret(graph, feeds);
  const got = interpret(imported.graph, feeds);
  expect(Object.keys(got)).toEqual(Object.keys(expected));
  for (const name of Object.keys(expected)) expect(got[name]).toEqual(expected[name]);
}

describe('exportOnnxModel', () => {
  it('round-trips causal attention with symbolic dims (same outputs after import)', () => {
    const graph = causalAttentionGraph();
    const feeds = Object.fromEntries(['q', 'k', 'v'].map((name, i) => [name, tensor('f32', [1, 2, 5, 4], ramp(40, i))]));
    roundTrip(graph, feeds);
    const imported = importOnnxModel(exportOnnxModel(graph)).graph;
    expect(imported.typeOf('q').shape).toEqual(['batch', 2, 'seq', 4]);
    expect(printGraph(imported)).toContain('Trilu');
  });

  it('round-trips initializers, Constant nodes, int/float/ints/tensor attributes and LayerNormalization', () => {
    roundTrip(blockGraph(), { x: tensor('f32', [1, 3, 4], ramp(12, 3)) });
  });

  it('declares the opset and the matching IR version', () => {
    const model = importOnnxModel(exportOnnxModel(blockGraph(), { opset: 21 }));
    expect(model).toMatchObject({ opsetVersion: 21, irVersion: 10, producerName: 'ladon' });
    expect(importOnnxModel(exportOnnxModel(blockGraph())).opsetVersion).toBe(17);
  });

  it('refuses an Attention that uses the position extension (ALiBi slopes), naming the node', () => {
    const g = new GraphBuilder('alibi');
    const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', [1, 2, 'seq', 4]));
    const slopes = g.constant(tensor('f32', [2], [0.5, 0.25]));
    g.output(g.op('Attention', [q, k, v, undefined, undefined, undefined, undefined, undefined, undefined, slopes], {}, 'alibi_attention'), 'y');
    expect(() => exportOnnxModel(g.build(), { opset: 23 })).toThrow(/Attention %y \(alibi_attention\): .*position biases inside/);
  });

  it('refuses Ladon-only ops with a typed error naming the node', () => {
    const g = new GraphBuilder('linear');
    const x = g.input('x', 'f32', [2, 4]);
    g.output(g.op('Linear', [x, g.constant(tensor('f32', [4, 3], ramp(12, 0)))], {}, 'proj'), 'y');
    const graph = g.build();
    const attempt = (): Uint8Array => exportOnnxModel(graph);
    expect(attempt).toThrow(OnnxExportError);
    expect(attempt).toThrow(/Linear %y \(proj\): Linear is a Ladon extension/);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(LadonError);
      expect((error as LadonError).location).toMatchObject({ op: 'Linear', node: '%y (proj)' });
    }
  });

  it('refuses ops newer than the requested opset, and opsets outside 13-25', () => {
    expect(() => exportOnnxModel(blockGraph(), { opset: 16 })).toThrow(/LayerNormalization needs opset 17 or later/);
    expect(() => exportOnnxModel(blockGraph(), { opset: 12 })).toThrow(/supports opsets 13-25/);
  });
});
