import { countOps, GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { csePass } from './cse.js';
import { runAndCompare } from './test-helpers.js';

describe('cse', () => {
  it('merges duplicate chains (operands of Add in either order) keeping the first', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['n', 4]);
    const bias = g.constant(tensor('f32', [4], [1, 2, 3, 4]));
    const first = g.op('Relu', [g.op('Add', [x, bias])]);
    const second = g.op('Relu', [g.op('Add', [bias, x])]);
    g.output(g.op('Mul', [first, second]), 'y');
    const graph = g.build();
    const firstRelu = graph.nodes[1];
    const { changes } = runAndCompare(graph, [csePass], { sizes: { n: 3 } });
    expect(changes).toEqual({ 'merged-nodes': 2 });
    expect(countOps(graph)).toEqual({ Add: 1, Relu: 1, Mul: 1 });
    expect(graph.nodes[2].inputs).toEqual([firstRelu.outputs[0], firstRelu.outputs[0]]);
  });

  it('treats an attribute written at its default like an absent one, and Constant nodes by their tensors', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    const implicit = g.op('Softmax', [x]);
    const explicit = g.op('Softmax', [x], { axis: -1 });
    const one = g.op('Constant', [], { value: tensor('f32', [], [1]) });
    const alsoOne = g.op('Constant', [], { value: tensor('f32', [], [1]) });
    g.output(g.op('Sub', [g.op('Add', [implicit, one]), g.op('Add', [explicit, alsoOne])]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [csePass]);
    expect(changes).toEqual({ 'merged-nodes': 3 });
    expect(countOps(graph)).toEqual({ Softmax: 1, Constant: 1, Add: 1, Sub: 1 });
  });

  it('merges duplicate initializers (same dtype, shape and bits) but not near-duplicates', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [4]);
    const a = g.constant(tensor('f32', [4], [1, 2, 3, 4]), 'a');
    const b = g.constant(tensor('f32', [4], [1, 2, 3, 4]), 'b');
    const c = g.constant(tensor('f32', [2, 2], [1, 2, 3, 4]), 'c');
    const d = g.constant(tensor('f32', [4], [1, 2, 3, 5]), 'd');
    const sum = g.op('Add', [g.op('Mul', [x, a]), g.op('Mul', [x, b])]);
    g.output(g.op('Add', [g.op('Add', [sum, g.op('Reshape', [c, g.ints([4])])]), d]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [csePass]);
    expect(changes).toEqual({ 'merged-initializers': 1, 'merged-nodes': 1 });
    expect([...graph.initializers.keys()].filter((name) => name.length === 1)).toEqual(['a', 'c', 'd']);
  });

  it('does not merge nodes whose attributes or inputs differ', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    const rows = g.op('Softmax', [x], { axis: 0 });
    const columns = g.op('Softmax', [x], { axis: 1 });
    const shifted = g.op('Sub', [rows, columns]);
    const flipped = g.op('Sub', [columns, rows]);
    g.output(g.op('Mul', [shifted, flipped]), 'y');
    const graph = g.build();
    const before = countOps(graph);
    const { changes } = runAndCompare(graph, [csePass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual(before);
  });

  it('keeps both graph output names when duplicates are outputs', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [3]);
    g.output(g.op('Relu', [x]), 'first');
    g.output(g.op('Relu', [x]), 'second');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [csePass]);
    expect(changes).toEqual({ 'merged-nodes': 1 });
    expect(graph.outputs).toEqual(['first', 'second']);
    expect(countOps(graph)).toEqual({ Relu: 1, Identity: 1 });
  });
});
