import { GraphBuilder, tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { symbolLimits } from './size-limits.js';

describe('symbolLimits', () => {
  it('bounds a symbol that slices a fixed-size axis or indexes a table through Range(0, s)', () => {
    const g = new GraphBuilder('limits');
    const ids = g.input('ids', 'i64', ['batch', 'seq']);
    const seq = g.op('Gather', [g.op('Shape', [ids]), g.constant(tensor('i64', [], [1]))], { axis: 0 });
    const positions = g.op('Range', [g.constant(tensor('i64', [], [0])), seq, g.constant(tensor('i64', [], [1]))]);
    const table = g.constant(tensor('f32', [64, 4]), 'wpe');
    g.output(g.op('Gather', [table, positions], { axis: 0 }), 'embeddings');
    const tril = g.constant(tensor('f32', [1, 1, 48, 48]), 'tril');
    const end = g.op('Unsqueeze', [seq, g.ints([0])]);
    g.output(g.op('Slice', [tril, g.ints([0]), end, g.ints([2])]), 'mask_rows');
    expect(symbolLimits(g.build())).toEqual({ seq: 48 });
  });

  it('sets none for slices that stay symbolic on both sides', () => {
    const g = new GraphBuilder('free');
    const x = g.input('x', 'f32', ['seq', 8]);
    const end = g.op('Slice', [g.op('Shape', [x]), g.ints([0]), g.ints([1])]);
    g.output(g.op('Slice', [x, g.ints([0]), end, g.ints([0])]), 'y');
    expect(symbolLimits(g.build())).toEqual({});
  });
});
