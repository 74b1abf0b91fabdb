import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { dcePass } from '../dce.js';
import { divToMulPass } from '../div-to-mul.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { fuseRotaryPass } from './fuse-rotary.js';
import { compileAndCompare } from './test-support.js';

const passes = [divToMulPass, fuseAttentionPass, fuseRotaryPass, dcePass];
const random = seededRandom(4242);
const [HEADS, SIZE] = [2, 8];

interface Rope {
  g: GraphBuilder;
  positions: ValueRef;
}

/** cos/sin of positions · inv_freq, [batch, 1, seq, width] (each angle twice: cat(freqs, freqs), or pairwise). */
function tables({ g, positions }: Rope, width: number, layout: 'halves' | 'pairs', base = 10000): { cos: ValueRef; sin: ValueRef } {
  const frequencies = g.constant(tensor('f32', [width / 2], Array.from({ length: width / 2 }, (_, i) => base ** (-(2 * i) / width))));
  const angles = g.op('Mul', [g.op('Unsqueeze', [g.op('Cast', [positions], { to: 1 }), g.ints([2])]), frequencies]);
  const twice = (value: ValueRef) =>
    layout === 'halves'
      ? g.op('Concat', [value, value], { axis: -1 })
      : g.op('Reshape', [g.op('Concat', [g.op('Unsqueeze', [value, g.ints([3])]), g.op('Unsqueeze', [value, g.ints([3])])], { axis: -1 }), g.ints([0, 0, width])]);
  const head = (value: ValueRef) => g.op('Unsqueeze', [twice(value), g.ints([1])]);
  return { cos: head(g.op('Cos', [angles])), sin: head(g.op('Sin', [angles])) };
}

function slice(g: GraphBuilder, x: ValueRef, start: number, end: number, step = 1): ValueRef {
  return g.op('Slice', [x, g.ints([start]), g.ints([end]), g.ints([-1]), g.ints([step])]);
}

/** LLaMA: cat(-x2, x1). */
function rotateHalf(g: GraphBuilder, x: ValueRef, width: number): ValueRef {
  return g.op('Concat', [g.op('Neg', [slice(g, x, width / 2, width)]), slice(g, x, 0, width / 2)], { axis: -1 });
}

/** GPT-J: stack(-x[1::2], x[::2]).flatten(-2). */
function rotateEveryTwo(g: GraphBuilder, x: ValueRef, width: number): ValueRef {
  const odd = g.op('Unsqueeze', [g.op('Neg', [slice(g, x, 1, width, 2)]), g.ints([-1])]);
  const even = g.op('Unsqueeze', [slice(g, x, 0, width, 2), g.ints([-1])]);
  return g.op('Reshape', [g.op('Concat', [odd, even], { axis: -1 }), g.ints([0, 0, 0, width])]);
}

type Rotation = (g: GraphBuilder, x: ValueRef, width: number) => ValueRef;

function rope(g: GraphBuilder, x: ValueRef, { cos, sin }: { cos: ValueRef; sin: ValueRef }, rotate: Rotation, width = SIZE): ValueRef {
  const part = width === SIZE ? x : slice(g, x, 0, width);
  const rotated = g.op('Add', [g.op('Mul', [part, cos]), g.op('Mul', [rotate(g, part, width), sin])]);
  return width === SIZE ? rotated : g.op('Concat', [rotated, slice(g, x, width, SIZE)], { axis: -1 });
}

/** Q and K rotated with the same tables (as exports write it once the duplicate table computations are merged). */
function shared({ g }: Rope, rotary: { cos: ValueRef; sin: ValueRef }, rotate: Rotation, q: ValueRef, k: ValueRef, width = SIZE): [ValueRef, ValueRef] {
  return [rope(g, q, rotary, rotate, width), rope(g, k, rotary, rotate, width)];
}

function attentionGraph(build: (rope: Rope, q: ValueRef, k: ValueRef) => [ValueRef, ValueRef]): Graph {
  const g = new GraphBuilder('rope');
  const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', ['batch', HEADS, 'seq', SIZE]));
  const positions = g.input('position_ids', 'i64', ['batch', 'seq']);
  const [qr, kr] = build({ g, positions }, q, k);
  const scores = g.op('Div', [g.op('MatMul', [qr, g.op('Transpose', [kr], { perm: [0, 1, 3, 2] })]), g.scalar(Math.sqrt(SIZE))]);
  g.output(g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]), 'y');
  return g.build();
}

function feeds() {
  return [
    [2, 5],
    [1, 7],
  ].map(([batch, seq]) => ({
    ...Object.fromEntries(['q', 'k', 'v'].map((name) => [name, randomTensor(random, 'f32', [batch, HEADS, seq, SIZE])])),
    position_ids: randomTensor(random, 'i64', [batch, seq], { low: 0, high: 40 }),
  }));
}

function compile(graph: Graph) {
  const { compiled, reports } = compileAndCompare(graph, passes, feeds(), 2e-5);
  const attention = compiled.nodes.find((node) => node.op === 'Attention')!;
  return { compiled, attention, changes: reports[2].changes };
}

describe('rotary embeddings into the attention', () => {
  it('fires on rotate-half (LLaMA: cat(freqs, freqs), rotate_half): Q and K unrotated, half tables [B, S, D/2]', () => {
    const { compiled, attention, changes } = compile(attentionGraph((r, q, k) => shared(r, tables(r, SIZE, 'halves'), rotateHalf, q, k)));
    expect(changes).toEqual({ 'fused rotate-half rotary': 1 });
    expect(attention.inputs.slice(0, 2)).toEqual(['q', 'k']);
    expect(compiled.typeOf(attention.inputs[7]).shape).toEqual(['batch', 'seq', SIZE / 2]);
    expect(attention.attrs.rotary_interleaved).toBeUndefined();
    expect(countOps(compiled).Neg).toBeUndefined();
  });

  it('fires on interleaved pairs (GPT-J rotate_every_two, angles repeated pairwise)', () => {
    const { compiled, attention, changes } = compile(attentionGraph((r, q, k) => shared(r, tables(r, SIZE, 'pairs'), rotateEveryTwo, q, k)));
    expect(changes).toEqual({ 'fused interleaved rotary': 1 });
    expect(attention.attrs.rotary_interleaved).toBe(1);
    expect(countOps(compiled).Neg).toBeUndefined();
  });

  it('fires on a partial rotary dim (GPT-NeoX: the first half of each head rotated, the rest passed through)', () => {
    const { compiled, attention } = compile(attentionGraph((r, q, k) => shared(r, tables(r, SIZE / 2, 'halves'), rotateHalf, q, k, SIZE / 2)));
    expect(compiled.typeOf(attention.inputs[7]).shape).toEqual(['batch', 'seq', SIZE / 4]);
  });

  it('declines when K is rotated with other tables than Q (another base frequency), and stays correct', () => {
    const { attention, changes } = compile(attentionGraph((r, q, k) => [rope(r.g, q, tables(r, SIZE, 'halves'), rotateHalf), rope(r.g, k, tables(r, SIZE, 'halves', 500), rotateHalf)]));
    expect(changes).toEqual({ 'declined: rotary: K is not rotated like Q (same tables)': 1 });
    expect(attention.inputs).toHaveLength(3);
  });

  it('declines a look-alike that is no rotation (halves swapped without the negation)', () => {
    const swap: Rotation = (g, x, width) => g.op('Concat', [slice(g, x, width / 2, width), slice(g, x, 0, width / 2)], { axis: -1 });
    const { attention, changes } = compile(attentionGraph((r, q, k) => shared(r, tables(r, SIZE, 'halves'), swap, q, k)));
    expect(changes).toEqual({ 'declined: rotary: Q looks rotated but the probes confirm no rotary embedding': 1 });
    expect(attention.inputs).toHaveLength(3);
  });
});
