import { countOps, GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { foldShapesPass } from './fold-shapes.js';
import { entriesEqual } from './shape-selects.js';
import { runAndCompare } from './test-helpers.js';

describe('entriesEqual', () => {
  it('decides numbers, equal symbols and a size against a negative number; leaves the rest open', () => {
    expect(entriesEqual(4, 4)).toBe(true);
    expect(entriesEqual(4, -1)).toBe(false);
    expect(entriesEqual('seq', 'seq')).toBe(true);
    expect(entriesEqual('seq', -1)).toBe(false);
    expect(entriesEqual(-1, 'batch')).toBe(false);
    expect(entriesEqual('seq', 4)).toBeUndefined();
    expect(entriesEqual('seq', 'batch')).toBeUndefined();
    expect(entriesEqual('?', -1)).toBeUndefined();
  });
});

describe('fold-shapes: selections over shape vectors', () => {
  it("decides PyTorch's expand_as target Where(Equal(shape, -1), 1, shape), so the Expand's output shape is known", () => {
    const g = new GraphBuilder();
    const mask = g.input('mask', 'f32', ['batch', 1, 1, 'seq']);
    const scores = g.input('scores', 'f32', ['batch', 4, 'seq', 'seq']);
    const shape = g.op('Shape', [scores]);
    const placeholder = g.op('Equal', [shape, g.ints([-1, -1, -1, -1])]);
    const target = g.op('Where', [placeholder, g.ints([1, 1, 1, 1]), shape]);
    g.output(g.op('Add', [scores, g.op('Expand', [mask, target])]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 3 } });
    expect(changes['equal-decided']).toBe(1);
    expect(changes['where-decided']).toBe(1);
    expect(countOps(graph).Equal).toBeUndefined();
    expect(countOps(graph).Where).toBeUndefined();
    const expand = graph.nodes.find((node) => node.op === 'Expand');
    if (expand) expect(graph.typeOf(expand.outputs[0]).shape).toEqual(['batch', 4, 'seq', 'seq']);
  });

  it('leaves an Equal that depends on a size (a symbol against a non-negative number)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 8]);
    const shape = g.op('Shape', [x]);
    const isOne = g.op('Equal', [shape, g.ints([1, 1])]);
    g.output(g.op('Where', [isOne, g.ints([2, 2]), shape]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 1 } });
    expect(changes['equal-decided']).toBeUndefined();
    expect(changes['where-decided']).toBeUndefined();
    expect(countOps(graph).Equal).toBe(1);
  });

  it('picks from a scalar branch broadcast over the vector', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq']);
    const shape = g.op('Shape', [x]);
    const target = g.op('Where', [g.op('Equal', [shape, g.ints([-1, 5])]), g.scalar(1, 'i64'), shape]);
    g.output(g.op('Expand', [g.input('row', 'f32', [1, 'seq']), target]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [foldShapesPass], { sizes: { batch: 2, seq: 5 } });
    expect(changes['where-decided']).toBeUndefined();
    // seq against 5 is open: the Equal stays, so the Where does too
    expect(countOps(graph).Where).toBe(1);
  });
});
