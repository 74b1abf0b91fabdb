import { countOps, GraphBuilder, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { dcePass } from '../dce.js';
import { divToMulPass } from '../div-to-mul.js';
import { linearPass } from '../linear.js';
import { absorbHeadLayoutPass } from './absorb-heads.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { packProjectionsPass } from './pack-projections.js';
import { compileAndCompare } from './test-support.js';
import { randomTensor, seededRandom } from '@ladon/ir/testing';

const random = seededRandom(3);
const passes = [divToMulPass, fuseAttentionPass, absorbHeadLayoutPass, linearPass, packProjectionsPass, dcePass];

function block(options: { valueReadElsewhere?: boolean } = {}) {
  const g = new GraphBuilder('block');
  const x = g.input('x', 'f32', ['batch', 'seq', 16]);
  const project = (name: string): ValueRef => {
    const weight = g.constant(randomTensor(random, 'f32', [16, 16]), `${name}_w`);
    const bias = g.constant(randomTensor(random, 'f32', [16]), `${name}_b`);
    return g.op('Add', [g.op('MatMul', [x, weight]), bias]);
  };
  const split = (value: ValueRef, perm: number[]) => g.op('Transpose', [g.op('Reshape', [value, g.ints([0, 0, 4, 4])])], { perm });
  const vProjection = project('v');
  const q = split(project('q'), [0, 2, 1, 3]);
  const kT = split(project('k'), [0, 2, 3, 1]);
  const v = split(vProjection, [0, 2, 1, 3]);
  const probs = g.op('Softmax', [g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(2)])], { axis: -1 });
  g.output(g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), g.ints([0, 0, 16])]), 'y');
  if (options.valueReadElsewhere) g.output(g.op('Relu', [vProjection]), 'side');
  return g.build();
}

const feedSets = [2, 5].map((seq) => ({ x: randomTensor(random, 'f32', [2, seq, 16]) }));

describe('pack-projections', () => {
  it('fires: one packed Linear and a Split feed the 3-D attention, with the same results', () => {
    const { compiled, reports } = compileAndCompare(block(), passes, feedSets);
    expect(reports.find((report) => report.name === 'pack-projections')!.changes).toEqual({ 'packed-projections': 1 });
    expect(countOps(compiled)).toEqual({ Linear: 1, Split: 1, Attention: 1 });
    const linear = compiled.nodes.find((node) => node.op === 'Linear')!;
    expect(compiled.typeOf(linear.outputs[0]).shape).toEqual(['batch', 'seq', 48]);
  });

  it('leaves out a projection that is also read outside the attention (and packs the others)', () => {
    const { compiled, reports } = compileAndCompare(block({ valueReadElsewhere: true }), passes, feedSets);
    expect(reports.find((report) => report.name === 'pack-projections')!.changes).toEqual({ 'packed-projections': 1 });
    expect(countOps(compiled)).toMatchObject({ Linear: 2, Split: 1, Attention: 1 });
    const widths = compiled.nodes.filter((node) => node.op === 'Linear').map((node) => compiled.typeOf(node.outputs[0]).shape[2]);
    expect(widths.sort()).toEqual([16, 32]);
  });
});
