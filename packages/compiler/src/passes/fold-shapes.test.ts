import { countOps, GraphBuilder, tensor, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { foldShapesPass, numericExpandTarget, numericReshapeTarget } from './fold-shapes.js';
import { runAndCompare } from './test-helpers.js';

const INT64_MAX = 2n ** 63n - 1n;

/** `Unsqueeze(Gather(Shape(value), axis), [0])`: one dim of `value` as a 1-element list, as PyTorch exports it. */
function dimOf(g: GraphBuilder, value: ValueRef, axis: number): ValueRef {
  const size = g.op('Gather', [g.op('Shape', [value]), g.scalar(axis, 'i64')], { axis: 0 });
  return g.op('Unsqueeze', [size, g.ints([0])]);
}

describe('numericReshapeTarget / numericExpandTarget', () => {
  it('copies equal dims with 0, infers one other symbol with -1, and gives up on a second', () => {
    expect(numericReshapeTarget(['batch', 'seq', 64], ['batch', 'seq', 4, 16])).toEqual([0, 0, 4, 16]);
    expect(numericReshapeTarget(['seq', 'batch', 64], ['seq', '4*batch', 16])).toEqual([0, -1, 16]);
    expect(numericReshapeTarget(['batch*seq', 64], ['seq', 'batch', 64])).toBeUndefined();
    expect(numericReshapeTarget(['batch', 64], ['seq', -1])).toBeUndefined();
    expect(numericExpandTarget(['seq', 1], ['seq', 5])).toEqual([1, 5]);
    expect(numericExpandTarget([1, 8], ['batch', 8])).toBeUndefined();
  });
});

describe('fold-shapes', () => {
  it('folds a static Shape -> Gather -> Unsqueeze -> Concat chain into a constant Reshape target', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3, 8]);
    const target = g.op('Concat', [dimOf(g, x, 0), g.ints([-1, 2, 4])], { axis: 0 });
    g.output(g.op('Reshape', [x, target]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass]);
    expect(changes).toEqual({ 'known-value-to-initializer': 1 });
    expect(countOps(graph)).toEqual({ Reshape: 1 });
    expect(Array.from(graph.initializers.get(graph.nodes[0].inputs[1])!.data as BigInt64Array, Number)).toEqual([2, -1, 2, 4]);
  });

  it('gives a Reshape with a symbolic target a constant one (0 copies a dim, one -1)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    const heads = g.op('Reshape', [x, g.op('Concat', [dimOf(g, x, 0), dimOf(g, x, 1), g.ints([2, 4])], { axis: 0 })]);
    const rows = g.op('Mul', [dimOf(g, x, 0), dimOf(g, x, 1)]);
    g.output(g.op('Reshape', [heads, g.op('Concat', [rows, g.ints([8])], { axis: 0 })]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({ 'reshape-target': 2 });
    expect(countOps(graph)).toEqual({ Reshape: 2 });
    const targets = graph.nodes.map((node) => Array.from(graph.initializers.get(node.inputs[1])!.data as BigInt64Array, Number));
    expect(targets).toEqual([[0, 0, 2, 4], [-1, 8]]);
    expect(graph.typeOf('y').shape).toEqual(['batch*seq', 8]);
  });

  it('leaves a symbolic Reshape target that would need two -1s', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 8]);
    const flat = g.input('flat', 'f32', ['batch*seq', 8]);
    g.output(g.op('Reshape', [flat, g.op('Concat', [dimOf(g, x, 1), dimOf(g, x, 0), g.ints([8])], { axis: 0 })]), 'y');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('gives an Expand with a symbolic target a constant one (1 keeps the input dim), but not when a dim must grow to a symbol', () => {
    const g = new GraphBuilder();
    const column = g.input('column', 'f32', ['seq', 1]);
    const wide = g.input('wide', 'f32', ['seq', 5]);
    const row = g.input('row', 'f32', [1, 5]);
    const batched = g.input('batched', 'f32', ['batch', 5]);
    g.output(g.op('Expand', [column, g.op('Shape', [wide])]), 'y');
    g.output(g.op('Expand', [row, g.op('Shape', [batched])]), 'z');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 3, seq: 4 } });
    expect(changes).toEqual({ 'expand-target': 1 });
    expect(countOps(graph)).toEqual({ Expand: 2, Shape: 1 });
  });

  it('removes Slices that take whole axes (INT64_MAX, or the end is the same symbol as the dim)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 4]);
    const toEnd = g.op('Slice', [x, g.ints([0]), g.constant(tensor('i64', [1], [INT64_MAX])), g.ints([2])]);
    const toSeq = g.op('Slice', [toEnd, g.ints([0, 0]), g.op('Concat', [dimOf(g, x, 1), g.ints([4])], { axis: 0 }), g.ints([1, -1]), g.ints([1, 1])]);
    g.output(g.op('Relu', [toSeq]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({ 'slice-whole-axis': 2 });
    expect(countOps(graph)).toEqual({ Relu: 1 });
  });

  it('keeps Slices that cut an axis, step over it, or stop at a different symbol', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 4]);
    const mask = g.input('mask', 'f32', [8, 8]);
    const cut = g.op('Slice', [x, g.ints([0]), g.ints([2]), g.ints([2])]);
    const strided = g.op('Slice', [cut, g.ints([0]), g.ints([4]), g.ints([2]), g.ints([2])]);
    const causal = g.op('Slice', [mask, g.ints([0]), dimOf(g, x, 1), g.ints([0])]);
    g.output(strided, 'y');
    g.output(causal, 'z');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('removes Identity, Cast to the same dtype, Reshape to the same shape, identity Transpose and Unsqueeze -> Squeeze', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    let value = g.op('Identity', [x]);
    value = g.op('Cast', [value], { to: 1 });
    value = g.op('Reshape', [value, g.ints([2, 3])]);
    value = g.op('Transpose', [value], { perm: [0, 1] });
    value = g.op('Squeeze', [g.op('Unsqueeze', [value, g.ints([0, -1])]), g.ints([3, 0])]);
    g.output(g.op('Relu', [value]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass]);
    expect(changes).toEqual({ identity: 1, 'cast-same-dtype': 1, 'reshape-same-shape': 1, 'transpose-identity': 1, 'unsqueeze-squeeze': 1 });
    expect(countOps(graph)).toEqual({ Relu: 1 });
    expect(graph.nodes[0].inputs).toEqual(['x']);
  });

  it('keeps conversions and reorderings that change something, and a Squeeze of other axes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    const halves = g.op('Cast', [g.op('Cast', [x], { to: 10 })], { to: 1 });
    const flipped = g.op('Transpose', [g.op('Reshape', [halves, g.ints([3, 2])])], { perm: [1, 0] });
    const squeezed = g.op('Squeeze', [g.op('Unsqueeze', [flipped, g.ints([0, 3])]), g.ints([0])]);
    g.output(squeezed, 'y');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [foldShapesPass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('keeps a graph output name when the no-op producing it goes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    g.output(g.op('Cast', [g.op('Relu', [x])], { to: 1 }), 'y');
    const graph = g.build();
    runAndCompare(graph, [foldShapesPass]);
    expect(graph.nodes.map((node) => [node.op, node.outputs[0]])).toEqual([['Relu', 'y']]);
  });
});
