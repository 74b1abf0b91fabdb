import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { divToMulPass } from '../div-to-mul.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { compileAndCompare } from './test-support.js';

const passes = [divToMulPass, fuseAttentionPass];
const random = seededRandom(12);
const HEADS = 2;
const SIZE = 8;

/** GPT-2 style: present = Concat(past, new) on the sequence axis, read as K and V and returned. */
function cachedAttention(options: { causal?: 'bottom-right' | 'top-left'; axis?: number } = {}): Graph {
  const g = new GraphBuilder('kv_cache');
  const q = g.input('q', 'f32', [1, HEADS, 'seq', SIZE]);
  const k = g.input('k', 'f32', [1, HEADS, 'seq', SIZE]);
  const v = g.input('v', 'f32', [1, HEADS, 'seq', SIZE]);
  const pastKey = g.input('past_key', 'f32', [1, HEADS, 'past', SIZE]);
  const pastValue = g.input('past_value', 'f32', [1, HEADS, 'past', SIZE]);
  const axis = options.axis ?? -2;
  const presentKey = g.op('Concat', [pastKey, k], { axis });
  const presentValue = g.op('Concat', [pastValue, v], { axis });
  let scores = g.op('Div', [g.op('MatMul', [q, g.op('Transpose', [presentKey], { perm: [0, 1, 3, 2] })]), g.scalar(Math.sqrt(SIZE))]);
  if (options.causal) scores = g.op('Where', [causalBuffer(g, q, presentKey, options.causal), scores, g.scalar(-3.4028234663852886e38)]);
  g.output(g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), presentValue]), 'y');
  g.output(presentKey, 'present_key');
  g.output(presentValue, 'present_value');
  return g.build();
}

/** bias[:, :, kLen - qLen : kLen, :kLen] of a bool tril buffer (bottom-right), or [:qLen, :kLen] (top-left). */
function causalBuffer(g: GraphBuilder, q: ValueRef, keys: ValueRef, align: 'bottom-right' | 'top-left'): ValueRef {
  const tril = g.constant(tensor('bool', [1, 1, 32, 32], Array.from({ length: 1024 }, (_, i) => i % 32 <= Math.floor(i / 32))), 'bias');
  const length = (value: ValueRef) => g.op('Slice', [g.op('Shape', [value]), g.ints([2]), g.ints([3])]);
  const qLen = length(q);
  const kLen = length(keys);
  const rowStart = align === 'bottom-right' ? g.op('Sub', [kLen, qLen]) : g.ints([0]);
  const rowEnd = align === 'bottom-right' ? kLen : qLen;
  const rows = g.op('Slice', [tril, rowStart, rowEnd, g.ints([2])]);
  return g.op('Slice', [rows, g.ints([0]), kLen, g.ints([3])]);
}

function feeds(sizes: readonly [number, number][]) {
  return sizes.map(([seq, past]) => ({
    q: randomTensor(random, 'f32', [1, HEADS, seq, SIZE]),
    k: randomTensor(random, 'f32', [1, HEADS, seq, SIZE]),
    v: randomTensor(random, 'f32', [1, HEADS, seq, SIZE]),
    past_key: randomTensor(random, 'f32', [1, HEADS, past, SIZE]),
    past_value: randomTensor(random, 'f32', [1, HEADS, past, SIZE]),
  }));
}

const SIZES: [number, number][] = [
  [5, 3],
  [1, 7],
];

function attentionOf(graph: Graph) {
  return graph.nodes.find((node) => node.op === 'Attention');
}

describe('KV cache in the graph', () => {
  it('fires: Concat(past, new) becomes past inputs and present outputs, the bottom-right causal buffer becomes is_causal', () => {
    const { compiled } = compileAndCompare(cachedAttention({ causal: 'bottom-right' }), passes, feeds(SIZES));
    const attention = attentionOf(compiled)!;
    expect(attention.inputs).toEqual(['q', 'k', 'v', '', 'past_key', 'past_value']);
    expect(attention.outputs.slice(1, 3)).toEqual(['present_key', 'present_value']);
    expect(attention.attrs.is_causal).toBe(1);
    expect(countOps(compiled).Concat).toBeUndefined();
    expect(countOps(compiled).Softmax).toBeUndefined();
  });

  it('fires without a mask, and with a symbolic past of length 0', () => {
    const { compiled } = compileAndCompare(cachedAttention(), passes, feeds([...SIZES, [4, 0]]));
    expect(attentionOf(compiled)!.inputs.slice(4)).toEqual(['past_key', 'past_value']);
    expect(attentionOf(compiled)!.attrs.is_causal).toBeUndefined();
  });

  it('a top-left causal mask over a cache is not the cache-offset causal mask: it stays a mask (same numbers)', () => {
    const { compiled } = compileAndCompare(cachedAttention({ causal: 'top-left' }), passes, feeds(SIZES));
    const attention = attentionOf(compiled)!;
    expect(attention.attrs.is_causal).toBeUndefined();
    expect(attention.inputs[3]).not.toBe('');
    expect(attention.inputs.slice(4)).toEqual(['past_key', 'past_value']);
  });

  it('does not fire for a Concat on the head axis (not a cache): K and V stay concatenated', () => {
    const g = new GraphBuilder('head_concat');
    const q = g.input('q', 'f32', [1, 4, 'seq', SIZE]);
    const halves = ['k0', 'k1', 'v0', 'v1'].map((name) => g.input(name, 'f32', [1, 2, 'seq', SIZE]));
    const k = g.op('Concat', [halves[0], halves[1]], { axis: 1 });
    const v = g.op('Concat', [halves[2], halves[3]], { axis: 1 });
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.scalar(0.35)]);
    g.output(g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]), 'y');
    const feedSets = [3, 5].map((seq) => ({ q: randomTensor(random, 'f32', [1, 4, seq, SIZE]), ...Object.fromEntries(['k0', 'k1', 'v0', 'v1'].map((name) => [name, randomTensor(random, 'f32', [1, 2, seq, SIZE])])) }));
    const { compiled } = compileAndCompare(g.build(), passes, feedSets);
    expect(attentionOf(compiled)!.inputs).toHaveLength(3);
    expect(countOps(compiled).Concat).toBe(2);
  });
});
