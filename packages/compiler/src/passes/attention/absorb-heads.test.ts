import { countOps, GraphBuilder, tensor, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { divToMulPass } from '../div-to-mul.js';
import { absorbHeadLayoutPass } from './absorb-heads.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { compileAndCompare } from './test-support.js';
import { randomTensor, seededRandom } from '@ladon/ir/testing';

const random = seededRandom(7);
const passes = [divToMulPass, fuseAttentionPass, absorbHeadLayoutPass];

/** The seed block's attention core: x -> q/k/v projections -> heads -> scores -> merge. */
function seedCore(options: { weightsOutput?: boolean; splitReadElsewhere?: boolean } = {}) {
  const g = new GraphBuilder('seed_core');
  const x = g.input('x', 'f32', ['batch', 'seq', 16]);
  const project = (name: string): ValueRef => g.op('MatMul', [x, g.constant(randomTensor(random, 'f32', [16, 16]), `${name}_w`)]);
  const split = (value: ValueRef, perm: number[]) => g.op('Transpose', [g.op('Reshape', [value, g.ints([0, 0, 4, 4])])], { perm });
  const q = split(project('q'), [0, 2, 1, 3]);
  const kT = split(project('k'), [0, 2, 3, 1]);
  const v = split(project('v'), [0, 2, 1, 3]);
  const probs = g.op('Softmax', [g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(2)])], { axis: -1 });
  const merged = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), g.ints([0, 0, 16])]);
  g.output(merged, 'y');
  if (options.weightsOutput) g.output(probs, 'weights');
  if (options.splitReadElsewhere) g.output(g.op('Relu', [v]), 'v_heads');
  return g.build();
}

const feedSets = [3, 6].map((seq) => ({ x: randomTensor(random, 'f32', [2, seq, 16]) }));

describe('absorb-head-layout', () => {
  it('fires: the attention reads the projections as [B, S, H·D] and writes the merged output', () => {
    const { compiled, reports } = compileAndCompare(seedCore(), passes, feedSets);
    expect(reports[2].changes).toEqual({ 'absorb-head-layout': 1 });
    const counts = countOps(compiled);
    expect(counts).toEqual({ MatMul: 3, Attention: 1 });
    const attention = compiled.nodes.find((node) => node.op === 'Attention')!;
    expect(attention.attrs).toMatchObject({ q_num_heads: 4, kv_num_heads: 4, scale: 0.5 });
    expect(compiled.typeOf(attention.outputs[0]).shape).toEqual(['batch', 'seq', 16]);
  });

  it('keeps the attention weights output', () => {
    const { compiled } = compileAndCompare(seedCore({ weightsOutput: true }), passes, feedSets);
    expect(countOps(compiled).Attention).toBe(1);
    expect(countOps(compiled).Transpose).toBeUndefined();
    expect(compiled.outputs).toEqual(['y', 'weights']);
  });

  it('still absorbs when a head-split value is read elsewhere (it stays computed for that reader)', () => {
    const { compiled } = compileAndCompare(seedCore({ splitReadElsewhere: true }), passes, feedSets);
    expect(countOps(compiled).Attention).toBe(1);
    expect(compiled.nodes.find((node) => node.op === 'Attention')!.attrs.q_num_heads).toBe(4);
  });

  it('does not fire when the heads output is read before the merge', () => {
    const g = new GraphBuilder('no_merge');
    const q = g.input('q', 'f32', ['batch', 'seq', 8]);
    const heads = g.op('Transpose', [g.op('Reshape', [q, g.ints([0, 0, 2, 4])])], { perm: [0, 2, 1, 3] });
    const y = g.op('Attention', [heads, heads, heads]);
    g.output(g.op('Reshape', [g.op('Transpose', [y], { perm: [0, 2, 1, 3] }), g.ints([0, 0, 8])]), 'y');
    g.output(y, 'heads_out');
    const { compiled } = compileAndCompare(g.build(), [absorbHeadLayoutPass], [{ q: tensor('f32', [1, 3, 8], Array.from({ length: 24 }, (_, i) => Math.sin(i))) }]);
    expect(compiled.nodes.find((node) => node.op === 'Attention')!.attrs.q_num_heads).toBeUndefined();
  });
});
