import { countOps, GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { runAndCompare } from './test-helpers.js';
import { swapsLastTwoAxes, transposeIntoMatMulPass } from './transpose-into-matmul.js';

const sizes = { batch: 2, seq: 3 };

describe('swapsLastTwoAxes', () => {
  it('accepts only permutations that swap the last two axes', () => {
    expect(swapsLastTwoAxes([0, 1, 3, 2])).toBe(true);
    expect(swapsLastTwoAxes([1, 0])).toBe(true);
    expect(swapsLastTwoAxes([0, 2, 1, 3])).toBe(false);
    expect(swapsLastTwoAxes([1, 0, 3, 2])).toBe(false);
    expect(swapsLastTwoAxes([0])).toBe(false);
  });
});

describe('transpose-into-matmul', () => {
  it('folds Kᵀ and the score scale into one FusedMatMul (transB, alpha)', () => {
    const g = new GraphBuilder();
    const q = g.input('q', 'f32', ['batch', 2, 'seq', 4]);
    const k = g.input('k', 'f32', ['batch', 2, 'seq', 4]);
    const scores = g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]);
    g.output(g.op('Softmax', [g.op('Mul', [g.scalar(0.5), scores])], { axis: -1 }), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [transposeIntoMatMulPass], { sizes });
    expect(changes).toEqual({ 'matmul-transpose-b': 1, 'scale-into-matmul': 1 });
    expect(countOps(graph)).toEqual({ FusedMatMul: 1, Softmax: 1 });
    expect(graph.nodes[0]).toMatchObject({ inputs: ['q', 'k'], attrs: { alpha: 0.5, transA: 0, transB: 1 } });
  });

  it('folds Transposes of both operands and a divisor', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [4, 'seq']);
    const b = g.input('b', 'f32', [5, 4]);
    const product = g.op('MatMul', [g.op('Transpose', [a]), g.op('Transpose', [b], { perm: [1, 0] })]);
    g.output(g.op('Div', [product, g.scalar(4)]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [transposeIntoMatMulPass], { sizes });
    expect(changes).toEqual({ 'matmul-transpose-b': 1, 'matmul-transpose-a': 1, 'divisor-into-matmul': 1 });
    expect(countOps(graph)).toEqual({ FusedMatMul: 1 });
    expect(graph.nodes[0]).toMatchObject({ inputs: ['a', 'b'], attrs: { alpha: 0.25, transA: 1, transB: 1 }, outputs: ['y'] });
  });

  it('toggles transB back when a FusedMatMul already transposes the operand', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [3, 4]);
    const b = g.input('b', 'f32', [4, 5]);
    const transposed = g.op('Transpose', [b], { perm: [1, 0] });
    g.output(g.op('FusedMatMul', [a, transposed], { transB: 1, alpha: 2 }), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [transposeIntoMatMulPass]);
    expect(changes).toEqual({ 'matmul-transpose-b': 1 });
    expect(graph.nodes[0]).toMatchObject({ op: 'FusedMatMul', inputs: ['a', 'b'], attrs: { alpha: 2, transB: 0 } });
  });

  it('keeps Transposes that move other axes or that something else reads, and a rank-1 operand', () => {
    const g = new GraphBuilder();
    const q = g.input('q', 'f32', ['batch', 2, 'seq', 4]);
    const k = g.input('k', 'f32', ['batch', 'seq', 2, 4]);
    const v = g.input('v', 'f32', [4]);
    const heads = g.op('Transpose', [k], { perm: [0, 2, 3, 1] });
    g.output(g.op('MatMul', [q, heads]), 'scores');
    const shared = g.op('Transpose', [q], { perm: [0, 1, 3, 2] });
    g.output(g.op('MatMul', [q, shared]), 'gram');
    g.output(shared, 'qT');
    const square = g.input('square', 'f32', [4, 4]);
    g.output(g.op('MatMul', [v, g.op('Transpose', [square])]), 'row');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [transposeIntoMatMulPass], { sizes });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('keeps a scale that is not a constant scalar, or whose product is read elsewhere', () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'f32', [3, 4]);
    const b = g.input('b', 'f32', [4, 5]);
    const s = g.input('s', 'f32', []);
    const first = g.op('MatMul', [a, b]);
    g.output(g.op('Mul', [first, s]), 'by_input');
    const second = g.op('MatMul', [a, b]);
    g.output(g.op('Mul', [second, g.constant(tensor('f32', [5], [1, 2, 3, 4, 5]))]), 'by_vector');
    const third = g.op('MatMul', [a, b]);
    g.output(g.op('Mul', [third, g.scalar(3)]), 'scaled');
    g.output(g.op('Relu', [third]), 'unscaled');
    const broadcast = g.op('MatMul', [a, b]);
    g.output(g.op('Mul', [broadcast, g.constant(tensor('f32', [1, 1, 1], [2]))]), 'lifted');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [transposeIntoMatMulPass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });
});
