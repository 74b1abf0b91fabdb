/** Pad and Tile plans: merged axes, pads per axis, Tile as wrap. */
import { GraphBuilder } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { mergePadAxes } from './pad.js';
import { plansOf } from './plan-test-kit.js';

describe('pad plans', () => {
  it('merge unpadded neighbours and drop unpadded size-1 axes', () => {
    const axis = (input: number | string, output: number | string, begin: number | string) => ({ input, output, begin });
    expect(mergePadAxes([axis(1, 1, 0), axis(2, 2, 0), axis('n', 'n', 0), axis(4, 7, 1), axis(3, 3, 0)])).toEqual([axis('2*n', '2*n', 0), axis(4, 7, 1), axis(3, 3, 0)]);
    expect(mergePadAxes([axis(1, 1, 0)])).toEqual([axis(1, 1, 0)]);
  });

  it('read pads per axis (axes given), and Tile as wrap with no leading pad', () => {
    const g = new GraphBuilder('pads');
    const x = g.input('x', 'f32', [2, 'n', 3]);
    g.output(g.op('Pad', [x, g.ints([1, -1, 2, 0]), undefined, g.ints([-1, 1])], { mode: 'edge' }), 'padded');
    g.output(g.op('Tile', [x, g.ints([1, 2, 3])]), 'tiled');
    const graph = g.build();
    expect(plansOf(graph, 'Pad')).toEqual([expect.objectContaining({ kind: 'pad', mode: 'edge', axes: [{ input: 2, output: 2, begin: 0 }, { input: 'n', output: 'n-1', begin: -1 }, { input: 3, output: 6, begin: 1 }] })]);
    expect(plansOf(graph, 'Tile')).toEqual([expect.objectContaining({ kind: 'pad', mode: 'wrap', axes: [{ input: 2, output: 2, begin: 0 }, { input: 'n', output: '2*n', begin: 0 }, { input: 3, output: 9, begin: 0 }] })]);
  });
});
