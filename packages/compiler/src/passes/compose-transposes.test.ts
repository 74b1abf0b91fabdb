import { countOps, GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { composeTransposesPass } from './compose-transposes.js';
import { runAndCompare } from './test-helpers.js';

describe('compose-transposes', () => {
  it('composes a chain of Transposes into one', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', ['batch', 'seq', 2, 3]);
    const heads = g.op('Transpose', [x], { perm: [0, 2, 1, 3] });
    g.output(g.op('Transpose', [heads], { perm: [0, 1, 3, 2] }), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [composeTransposesPass], { sizes: { batch: 2, seq: 4 } });
    expect(changes).toEqual({ 'compose-transposes': 1 });
    expect(graph.nodes).toHaveLength(1);
    expect(graph.nodes[0]).toMatchObject({ op: 'Transpose', inputs: ['x'], outputs: ['y'], attrs: { perm: [0, 2, 3, 1] } });
  });

  it('removes a pair that cancels (default perms included) and identity Transposes', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3, 4]);
    const reversed = g.op('Transpose', [x]);
    const back = g.op('Transpose', [reversed]);
    g.output(g.op('Relu', [g.op('Transpose', [back], { perm: [0, 1, 2] })]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [composeTransposesPass]);
    expect(changes).toEqual({ 'compose-transposes': 1, 'identity-transpose': 1 });
    expect(countOps(graph)).toEqual({ Relu: 1 });
  });

  it('composes even when the inner Transpose has other readers (it stays for them)', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3, 4]);
    const inner = g.op('Transpose', [x], { perm: [1, 0, 2] });
    g.output(g.op('Transpose', [inner], { perm: [0, 2, 1] }), 'y');
    g.output(g.op('Relu', [inner]), 'z');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [composeTransposesPass]);
    expect(changes).toEqual({ 'compose-transposes': 1 });
    expect(graph.nodes.filter((node) => node.op === 'Transpose').every((node) => node.inputs[0] === 'x')).toBe(true);
  });

  it('leaves a single non-identity Transpose alone', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'f32', [2, 3]);
    g.output(g.op('Relu', [g.op('Transpose', [x], { perm: [1, 0] })]), 'y');
    const graph = g.build();
    const { changes } = runAndCompare(graph, [composeTransposesPass]);
    expect(changes).toEqual({});
    expect(countOps(graph)).toEqual({ Transpose: 1, Relu: 1 });
  });
});
