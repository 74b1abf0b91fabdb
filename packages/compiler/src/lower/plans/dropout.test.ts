/** Dropout plans: a view and a fill unless it drops elements, then a dropout kernel with the reference's threshold. */
import { dropoutThreshold, GraphBuilder, tensor, UnsupportedError, type Graph } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { plansOf } from './plan-test-kit.js';

describe('dropout plans', () => {
  function dropout(training: boolean, ratio: number, mask: boolean): Graph {
    const g = new GraphBuilder('dropout');
    const outputs = g.opMulti('Dropout', [g.input('x', 'f32', ['n', 4]), g.scalar(ratio), g.constant(tensor('bool', [], [training]))], { seed: -1 }, mask ? 2 : 1);
    outputs.forEach((value, index) => g.output(value!, `out${index}`));
    return g.build();
  }

  it('make inference or ratio-0 Dropout a view and a fill of true, training a dropout kernel', () => {
    expect(plansOf(dropout(false, 0.5, true), 'Dropout').map((plan) => plan.kind)).toEqual(['view', 'fill']);
    expect(plansOf(dropout(true, 0, false), 'Dropout').map((plan) => plan.kind)).toEqual(['view']);
    expect(plansOf(dropout(true, 0.25, true), 'Dropout')).toEqual([expect.objectContaining({ kind: 'dropout', seed: 2 ** 32 - 1, threshold: dropoutThreshold(0.25), scale: 1 / 0.75, mask: expect.any(String) })]);
  });

  it('refuse training-mode Dropout of f16 with an error naming the node and dtype', () => {
    const g = new GraphBuilder('dropout_f16');
    g.output(g.op('Dropout', [g.input('x', 'f16', [4]), g.scalar(0.5, 'f16'), g.constant(tensor('bool', [], [true]))]), 'y');
    expect(() => plansOf(g.build(), 'Dropout')).toThrow(UnsupportedError);
    expect(() => plansOf(g.build(), 'Dropout')).toThrow(/Dropout %.*training-mode Dropout of f16 data/);
  });

});
