import { countOps, GraphBuilder, tensor, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { fuseLayerNormPass } from './fuse-layer-norm.js';
import { runAndCompare } from './test-helpers.js';
import { seededRandom } from '@ladon/ir/testing';

const sizes = { batch: 2, seq: 3 };
const WIDTH = 8;

function vector(shape: readonly number[], seed: number): ReturnType<typeof tensor> {
  const random = seededRandom(seed);
  return tensor('f32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() + 0.5));
}

interface Decomposition {
  /** ReduceMean axes: the attribute form (default) or an i64 input (ReduceMean-18). */
  readonly axesAsInput?: boolean;
  readonly axis?: number;
  readonly squareByMul?: boolean;
}

/** The decomposed LayerNorm of `x` as exported at opset < 17; returns the Div output. */
function decomposed(g: GraphBuilder, x: ValueRef, options: Decomposition = {}): ValueRef {
  const axis = options.axis ?? -1;
  const mean = (value: ValueRef) =>
    options.axesAsInput ? g.op('ReduceMean', [value, g.ints([axis])]) : g.op('ReduceMean', [value], { axes: [axis] });
  const deviation = g.op('Sub', [x, mean(x)]);
  const squared = options.squareByMul ? g.op('Mul', [deviation, deviation]) : g.op('Pow', [deviation, g.scalar(2)]);
  const std = g.op('Sqrt', [g.op('Add', [mean(squared), g.scalar(1e-5)])]);
  return g.op('Div', [deviation, std]);
}

describe('fuse-layer-norm', () => {
  it('fuses the seed_mha_block form (axes attribute, Pow 2, Mul gamma, Add beta)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', WIDTH]);
    const scaled = g.op('Mul', [decomposed(g, x), g.constant(vector([WIDTH], 1))]);
    g.output(g.op('Add', [scaled, g.constant(vector([WIDTH], 2))]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({ 'decomposed-layer-norm': 1 });
    expect(countOps(graph)).toEqual({ LayerNormalization: 1 });
    expect(graph.nodes[0]).toMatchObject({ inputs: ['x', expect.any(String), expect.any(String)], outputs: ['y'], attrs: { axis: -1 } });
    expect(graph.nodes[0].attrs.epsilon).toBeCloseTo(1e-5, 10);
  });

  it('fuses the variants: axes as input and as the last index, Mul(d, d), commuted gamma/beta, gamma [1, 1, N]', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', WIDTH]);
    const normalized = decomposed(g, x, { axesAsInput: true, axis: 2, squareByMul: true });
    const scaled = g.op('Mul', [g.constant(vector([1, 1, WIDTH], 3)), normalized]);
    g.output(g.op('Add', [g.constant(vector([WIDTH], 4)), scaled]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({ 'decomposed-layer-norm': 1 });
    expect(countOps(graph)).toEqual({ LayerNormalization: 1 });
    expect(graph.typeOf(graph.nodes[0].inputs[1]).shape).toEqual([WIDTH]);
  });

  it('uses ones for gamma and no bias when the normalisation has no affine part', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['seq', WIDTH]);
    g.output(g.op('Relu', [decomposed(g, x)]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({ 'decomposed-layer-norm': 1 });
    expect(countOps(graph)).toEqual({ LayerNormalization: 1, Relu: 1 });
    expect(graph.nodes[0].inputs).toHaveLength(2);
  });

  it('stops at the Div when the normalised value is also read elsewhere (Mul and Add stay)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['seq', WIDTH]);
    const normalized = decomposed(g, x);
    g.output(g.op('Add', [g.op('Mul', [normalized, g.constant(vector([WIDTH], 5))]), g.constant(vector([WIDTH], 6))]), 'y');
    g.output(g.op('Relu', [normalized]), 'z');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({ 'decomposed-layer-norm': 1 });
    expect(countOps(graph)).toEqual({ LayerNormalization: 1, Mul: 1, Add: 1, Relu: 1 });
  });

  it('does not fuse over another axis, with an interior value used elsewhere, or when the mean is of another tensor', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['seq', WIDTH]);
    const other = g.input('other', 'f32', ['seq', WIDTH]);
    g.output(decomposed(g, x, { axis: 0 }), 'over_rows');
    const deviation = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1] })]);
    const std = g.op('Sqrt', [g.op('Add', [g.op('ReduceMean', [g.op('Pow', [deviation, g.scalar(2)])], { axes: [-1] }), g.scalar(1e-5)])]);
    g.output(g.op('Div', [deviation, std]), 'normalized');
    g.output(std, 'std');
    const foreign = g.op('Sub', [x, g.op('ReduceMean', [other], { axes: [-1] })]);
    const foreignStd = g.op('Sqrt', [g.op('Add', [g.op('ReduceMean', [g.op('Pow', [foreign, g.scalar(2)])], { axes: [-1] }), g.scalar(1e-5)])]);
    g.output(g.op('Div', [foreign, foreignStd]), 'mixed');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('does not fuse a square that is not a square (Pow 3)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['seq', WIDTH]);
    const deviation = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1] })]);
    const spread = g.op('ReduceMean', [g.op('Pow', [deviation, g.scalar(3)])], { axes: [-1] });
    g.output(g.op('Div', [deviation, g.op('Sqrt', [g.op('Add', [spread, g.scalar(10)])])]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [fuseLayerNormPass], { sizes });
    expect(changes).toEqual({});
  });
});
