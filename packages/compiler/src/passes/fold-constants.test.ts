import { countOps, GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { foldConstantsPass } from './fold-constants.js';
import { runAndCompare } from './test-helpers.js';

describe('fold-constants', () => {
  it('turns Constant nodes into initializers (keeping the name) and folds constant chains in one sweep', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['n', 4]);
    const weights = g.op('Constant', [], { value: tensor('f32', [4], [1, 2, 3, 4]) });
    const doubled = g.op('Mul', [weights, g.scalar(2)]);
    const shifted = g.op('Add', [doubled, g.scalar(1)]);
    g.output(g.op('Add', [x, shifted]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldConstantsPass], { sizes: { n: 3 } });
    expect(changes).toEqual({ 'constant-to-initializer': 1, folded: 2 });
    expect(countOps(graph)).toEqual({ Add: 1 });
    expect(graph.initializers.has(weights.name)).toBe(true);
    expect(Array.from(graph.initializers.get(graph.nodes[0].inputs[1])!.data as Float32Array)).toEqual([3, 5, 7, 9]);
  });

  it('folds every output of a multi-output node and a folded graph output keeps its name', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2]);
    const [first, second] = g.opMulti('Split', [g.constant(tensor('f32', [4], [1, 2, 3, 4])), g.ints([2, 2])], { axis: 0 }, 2);
    g.output(g.op('Mul', [x, first!]), 'y');
    g.output(g.op('Transpose', [second!]), 'z');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldConstantsPass]);
    expect(changes).toEqual({ folded: 2 });
    expect(countOps(graph)).toEqual({ Mul: 1 });
    expect(Array.from(graph.initializers.get('z')!.data as Float32Array)).toEqual([3, 4]);
  });

  it('folds integer shape arithmetic into i64 initializers', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 12]);
    const target = g.op('Concat', [g.ints([2]), g.op('Div', [g.ints([12]), g.ints([4])]), g.ints([4])], { axis: 0 });
    g.output(g.op('Reshape', [x, target]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldConstantsPass]);
    expect(changes).toEqual({ folded: 2 });
    expect(countOps(graph)).toEqual({ Reshape: 1 });
  });

  it('leaves nodes with a non-constant input, symbolic outputs, or outputs over the size limit', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['n']);
    const scaled = g.op('Mul', [x, g.scalar(3)]);
    const ramp = g.op('Expand', [g.scalar(1), g.op('Shape', [x])]);
    const big = g.op('Expand', [g.scalar(0.5), g.ints([1100, 1000])]);
    g.output(g.op('Add', [scaled, ramp]), 'y');
    g.output(g.op('ReduceSum', [big], { keepdims: 0 }), 'total');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [foldConstantsPass], { sizes: { n: 5 } });
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });
});
