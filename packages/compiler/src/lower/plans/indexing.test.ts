/** OneHot and Range plans: the one-hot layout, and where float Range operands come from. */
import { GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { plansOf } from './plan-test-kit.js';

describe('one-hot and range plans', () => {
  it('put OneHot on [outer, depth, inner]', () => {
    const g = new GraphBuilder('one_hot');
    g.output(g.op('OneHot', [g.input('indices', 'i64', ['b', 5]), g.constant(tensor('f32', [], [7])), g.input('values', 'f32', [2])], { axis: 1 }), 'y');
    expect(plansOf(g.build(), 'OneHot')[0]).toMatchObject({ kind: 'one-hot', outer: 'b', depth: 7, inner: 5 });
  });

  it('bake f32 Range operands known at compile time, and read fed or f16 ones from their tensors', () => {
    const known = new GraphBuilder('range_known');
    known.output(known.op('Range', [known.scalar(1), known.scalar(9), known.scalar(2)]), 'y');
    expect(plansOf(known.build(), 'Range')[0]).toMatchObject({ start: 1, delta: 2, count: 4 });
    const fed = new GraphBuilder('range_fed');
    fed.output(fed.op('Range', [fed.input('a', 'f16', []), fed.scalar(9, 'f16'), fed.input('d', 'f16', [])]), 'y');
    const graph = fed.build();
    graph.values.get('y')!.type = { dtype: 'f16', shape: ['len'] };
    expect(plansOf(graph, 'Range')[0]).toMatchObject({ operands: { start: 'a', delta: 'd' }, count: 'len' });
  });
});
