/** GatherElements, GatherND and scatter plans: addressing, the copy of data, the reduction. */
import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { plansOf } from './plan-test-kit.js';

describe('index plans', () => {
  it('address GatherElements element-wise and GatherND by tuples (batch_dims included)', () => {
    const g = new GraphBuilder('gathers');
    const data = g.input('data', 'f32', [2, 'n', 4]);
    g.output(g.op('GatherElements', [data, g.input('indices', 'i64', [2, 'm', 4])], { axis: -2 }), 'picked');
    g.output(g.op('GatherND', [data, g.input('tuples', 'i64', [2, 'k', 1])], { batch_dims: 1 }), 'slices');
    const graph = g.build();
    expect(plansOf(graph, 'GatherElements')[0]).toMatchObject({ dims: [2, 'm', 4], dataStrides: ['4*n', 4, 1], axis: 1, axisSize: 'n' });
    expect(plansOf(graph, 'GatherND')[0]).toMatchObject({ batches: 2, tuples: 'k', batchStride: '4*n', slice: 4, coordinates: [{ dim: 'n', stride: 4 }] });
  });

  it('scatter as a whole copy of data then ordered updates, with the reduction', () => {
    const g = new GraphBuilder('scatter');
    const data = g.input('data', 'i64', [4, 'n']);
    g.output(g.op('ScatterND', [data, g.input('rows', 'i64', [3, 1]), g.input('updates', 'i64', [3, 'n'])], { reduction: 'mul' }), 'y');
    const [plan] = plansOf(g.build(), 'ScatterND');
    expect(plan).toMatchObject({ kind: 'scatter', reduction: 'mul', copy: { layout: { dims: ['4*n'] } }, addressing: { kind: 'tuples', tuples: { tuples: 3, slice: 'n' } } });
  });

});
