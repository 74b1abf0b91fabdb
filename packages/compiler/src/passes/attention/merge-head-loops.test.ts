import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { csePass } from '../cse.js';
import { divToMulPass } from '../div-to-mul.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { mergeHeadLoopsPass } from './merge-head-loops.js';
import { compileAndCompare } from './test-support.js';

const passes = [divToMulPass, fuseAttentionPass, csePass, mergeHeadLoopsPass];
const random = seededRandom(7);
const HEADS = 4;
const SIZE = 8;
const WIDTH = HEADS * SIZE;

/** softmax(q kᵀ · scale + mask) v for one head, 3-D operands [B, S, d]. */
function oneHead(g: GraphBuilder, q: ValueRef, k: ValueRef, v: ValueRef, scale: number, mask?: ValueRef): ValueRef {
  let scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 2, 1] })]), g.scalar(scale)]);
  if (mask) scores = g.op('Where', [mask, g.scalar(-1e9), scores]);
  return g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
}

type Slicer = (g: GraphBuilder, x: ValueRef) => ValueRef[];

const bySplit: Slicer = (g, x) => g.opMulti('Split', [x, g.ints(new Array(HEADS).fill(SIZE))], { axis: -1 }, HEADS) as ValueRef[];
const bySlice: Slicer = (g, x) => Array.from({ length: HEADS }, (_, h) => g.op('Slice', [x, g.ints([h * SIZE]), g.ints([(h + 1) * SIZE]), g.ints([-1])]));

function headLoop(slicer: Slicer, options: { scales?: number[]; order?: number[]; mask?: boolean } = {}): Graph {
  const g = new GraphBuilder('heads');
  const [q, k, v] = ['q', 'k', 'v'].map((name) => slicer(g, g.input(name, 'f32', ['batch', 'seq', WIDTH])));
  const pad = options.mask ? g.op('Unsqueeze', [g.input('pad', 'bool', ['batch', 'seq']), g.ints([1])]) : undefined;
  const outputs = (options.order ?? [0, 1, 2, 3]).map((h) => oneHead(g, q[h], k[h], v[h], options.scales?.[h] ?? 1 / Math.sqrt(SIZE), pad));
  g.output(g.op('Concat', outputs, { axis: -1 }), 'y');
  return g.build();
}

function feeds(mask = false) {
  return [
    [2, 5],
    [1, 3],
  ].map(([batch, seq]) => ({
    q: randomTensor(random, 'f32', [batch, seq, WIDTH]),
    k: randomTensor(random, 'f32', [batch, seq, WIDTH]),
    v: randomTensor(random, 'f32', [batch, seq, WIDTH]),
    ...(mask ? { pad: tensor('bool', [batch, seq], Array.from({ length: batch * seq }, (_, i) => i % seq === seq - 1)) } : {}),
  }));
}

function merged(graph: Graph) {
  return graph.nodes.filter((node) => node.op === 'Attention');
}

describe('head-loop merging', () => {
  it('fires on torch.split of Q, K, V, a loop of one-head attentions and torch.cat: one 4-head Attention reading the inputs whole', () => {
    const { compiled, reports } = compileAndCompare(headLoop(bySplit), passes, feeds());
    const [attention] = merged(compiled);
    expect(merged(compiled)).toHaveLength(1);
    expect(attention.attrs).toMatchObject({ q_num_heads: HEADS, kv_num_heads: HEADS });
    expect(attention.inputs).toEqual(['q', 'k', 'v']);
    expect(countOps(compiled).Concat).toBeUndefined();
    expect(reports[3].changes).toEqual({ merged: 1 });
  });

  it('fires on per-head Slices with a shared key padding mask (masked_fill -1e9)', () => {
    const { compiled } = compileAndCompare(headLoop(bySlice, { mask: true }), passes, feeds(true));
    const [attention] = merged(compiled);
    expect(merged(compiled)).toHaveLength(1);
    expect(attention.inputs.slice(0, 3)).toEqual(['q', 'k', 'v']);
    expect(attention.inputs[3]).toBeTruthy();
  });

  it('fires on per-head projections (nn.ModuleList of heads): the weights are joined into one projection', () => {
    const g = new GraphBuilder('modulelist');
    const x = g.input('x', 'f32', ['batch', 'seq', WIDTH]);
    const project = () => g.op('MatMul', [x, g.constant(randomTensor(random, 'f32', [WIDTH, SIZE]))]);
    const outputs = Array.from({ length: HEADS }, () => oneHead(g, project(), project(), project(), 0.3));
    g.output(g.op('Concat', outputs, { axis: -1 }), 'y');
    const feedSets = [3, 6].map((seq) => ({ x: randomTensor(random, 'f32', [2, seq, WIDTH]) }));
    const { compiled } = compileAndCompare(g.build(), passes, feedSets);
    expect(merged(compiled)).toHaveLength(1);
    expect(countOps(compiled).MatMul).toBe(3);
  });

  it('heads concatenated out of order still merge, with the operands joined in that order (same numbers)', () => {
    const { compiled } = compileAndCompare(headLoop(bySplit, { order: [1, 0, 2, 3] }), passes, feeds());
    expect(merged(compiled)).toHaveLength(1);
    expect(countOps(compiled).Concat).toBe(3);
  });

  it('does not merge heads with different scales, and says why', () => {
    const { compiled, reports } = compileAndCompare(headLoop(bySplit, { scales: [0.3, 0.3, 0.5, 0.3] }), passes, feeds());
    expect(merged(compiled)).toHaveLength(HEADS);
    expect(Object.keys(reports[3].changes)).toEqual(['declined: per-head attentions with different attributes']);
  });

  it('does not merge when the Concat also joins a value that is not an attention head', () => {
    const g = new GraphBuilder('extra');
    const [q, k, v] = ['q', 'k', 'v'].map((name) => bySplit(g, g.input(name, 'f32', ['batch', 'seq', WIDTH])));
    const outputs = [0, 1, 2].map((h) => oneHead(g, q[h], k[h], v[h], 0.35));
    g.output(g.op('Concat', [...outputs, q[3]], { axis: -1 }), 'y');
    const { compiled } = compileAndCompare(g.build(), passes, feeds());
    expect(merged(compiled)).toHaveLength(3);
  });
});
