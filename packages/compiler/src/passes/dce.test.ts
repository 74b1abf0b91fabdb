import { countOps, GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { dcePass } from './dce.js';
import { runAndCompare } from './test-helpers.js';

describe('dce', () => {
  it('removes Identity chains, dead nodes and unused initializers', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['n']);
    const unused = g.constant(tensor('f32', [1], [7]), 'unused');
    g.op('Mul', [x, unused]);
    const copied = g.op('Identity', [g.op('Identity', [g.op('Relu', [x])])]);
    g.output(g.op('Exp', [copied]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [dcePass], { sizes: { n: 4 } });
    expect(changes).toEqual({ 'identity-removed': 2, 'dead-nodes': 1, 'dead-initializers': 1 });
    expect(countOps(graph)).toEqual({ Relu: 1, Exp: 1 });
    expect(graph.initializers.has('unused')).toBe(false);
  });

  it('keeps the types of the unread outputs of a live multi-output node (a Split whose last part nobody reads)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 6]);
    const [first, second] = g.opMulti('Split', [x, g.ints([2, 2, 2])], { axis: -1 }, 3);
    g.output(g.op('Add', [first!, second!]), 'y');
    const graph = g.build();
    runAndCompare(graph, [dcePass]);
    const split = graph.nodes.find((node) => node.op === 'Split')!;
    expect(split.outputs.every((output) => graph.values.has(output))).toBe(true);
  });

  it('removes an Identity that names a graph output by renaming its input (readers follow)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [3]);
    const hidden = g.op('Relu', [x]);
    g.output(g.op('Exp', [hidden]), 'z');
    g.output(g.op('Identity', [hidden]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [dcePass]);
    expect(changes).toEqual({ 'identity-removed': 1 });
    expect(graph.nodes.map((node) => `${node.op}:${node.inputs}->${node.outputs}`)).toEqual(['Relu:x->y', 'Exp:y->z']);
  });

  it('keeps an Identity that forwards a graph input or an initializer to a graph output', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [3]);
    g.output(g.op('Identity', [x]), 'y');
    g.output(g.op('Identity', [g.constant(tensor('f32', [1], [2]))]), 'z');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [dcePass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual({ Identity: 2 });
  });
});
