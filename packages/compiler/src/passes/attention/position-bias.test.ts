import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { dcePass } from '../dce.js';
import { divToMulPass } from '../div-to-mul.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { compileAndCompare } from './test-support.js';

const passes = [divToMulPass, fuseAttentionPass, dcePass];
const random = seededRandom(777);
const HEADS = 4;
const SLOPES = [0.5, 0.25, 0.125, 0.0625];

interface Core {
  g: GraphBuilder;
  q: ValueRef;
  k: ValueRef;
  scores: ValueRef;
  v: ValueRef;
}

function core(): Core {
  const g = new GraphBuilder('position_bias');
  const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', ['batch', HEADS, 'seq', 8]));
  return { g, q, k, v, scores: g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.scalar(0.35)]) };
}

/** arange(S) as f32 [S], from Q's shape. */
function positions(c: Core): ValueRef {
  const seq = c.g.op('Squeeze', [c.g.op('Slice', [c.g.op('Shape', [c.q]), c.g.ints([2]), c.g.ints([3])]), c.g.ints([0])]);
  return c.g.op('Cast', [c.g.op('Range', [c.g.constant(tensor('i64', [], [0])), seq, c.g.constant(tensor('i64', [], [1]))])], { to: 1 });
}

/** j - i as f32 [S, S]. */
function distances(c: Core): ValueRef {
  const p = positions(c);
  return c.g.op('Sub', [c.g.op('Unsqueeze', [p, c.g.ints([0])]), c.g.op('Unsqueeze', [p, c.g.ints([1])])]);
}

function slopes(c: Core): ValueRef {
  return c.g.constant(tensor('f32', [HEADS, 1, 1], SLOPES));
}

/** The causal mask as a Trilu of ones, applied with Where(-inf). */
function causal(c: Core, logits: ValueRef): ValueRef {
  const seq = c.g.op('Slice', [c.g.op('Shape', [c.q]), c.g.ints([2]), c.g.ints([3])]);
  const ones = c.g.op('ConstantOfShape', [c.g.op('Concat', [seq, seq], { axis: 0 })], { value: tensor('f32', [1], [1]) });
  const future = c.g.op('Equal', [c.g.op('Trilu', [ones], { upper: 0 }), c.g.scalar(0)]);
  return c.g.op('Where', [future, c.g.scalar(-Infinity), logits]);
}

function finish(c: Core, logits: ValueRef): Graph {
  c.g.output(c.g.op('MatMul', [c.g.op('Softmax', [logits], { axis: -1 }), c.v]), 'y');
  return c.g.build();
}

function feeds() {
  return [3, 6].map((seq) => Object.fromEntries(['q', 'k', 'v'].map((name) => [name, randomTensor(random, 'f32', [2, HEADS, seq, 8])])));
}

function fused(graph: Graph) {
  const { compiled } = compileAndCompare(graph, passes, feeds(), 2e-5);
  expect(countOps(compiled).Attention).toBe(1);
  expect(countOps(compiled).Softmax).toBeUndefined();
  return { compiled, attention: compiled.nodes.find((node) => node.op === 'Attention')! };
}

describe('position biases computed in the attention', () => {
  it('ALiBi slope · (j - i) computed in forward, causal: alibi_slopes + alibi_form relative, no mask left', () => {
    const c = core();
    const bias = c.g.op('Mul', [slopes(c), distances(c)]);
    const { compiled, attention } = fused(finish(c, causal(c, c.g.op('Add', [c.scores, bias]))));
    expect(attention.inputs[3]).toBe('');
    expect(attention.attrs).toMatchObject({ is_causal: 1, alibi_form: 'relative' });
    expect(Array.from(compiled.initializers.get(attention.inputs[9])!.data as Float32Array)).toEqual(SLOPES);
    expect(countOps(compiled).Range).toBeUndefined();
  });

  it('ALiBi over key positions from a registered buffer sliced to the sequence (fairseq), scaled after the bias', () => {
    const c = core();
    const buffer = c.g.constant(tensor('f32', [HEADS, 1, 64], Array.from({ length: HEADS * 64 }, (_, n) => SLOPES[Math.floor(n / 64)] * (n % 64))), 'alibi');
    const seq = c.g.op('Slice', [c.g.op('Shape', [c.q]), c.g.ints([2]), c.g.ints([3])]);
    const bias = c.g.op('Slice', [buffer, c.g.ints([0]), seq, c.g.ints([2])]);
    const logits = c.g.op('Mul', [c.g.op('Add', [c.g.op('MatMul', [c.q, c.g.op('Transpose', [c.k], { perm: [0, 1, 3, 2] })]), bias]), c.g.scalar(0.5)]);
    const { compiled, attention } = fused(finish(c, causal(c, logits)));
    expect(attention.attrs.alibi_form).toBeUndefined();
    expect(Array.from(compiled.initializers.get(attention.inputs[9])!.data as Float32Array)).toEqual(SLOPES.map((slope) => slope * 0.5));
  });

  it('symmetric ALiBi -slope · |j - i| without causality', () => {
    const c = core();
    const d = distances(c);
    const absolute = c.g.op('Add', [c.g.op('Relu', [d]), c.g.op('Relu', [c.g.op('Neg', [d])])]);
    const { attention } = fused(finish(c, c.g.op('Add', [c.scores, c.g.op('Neg', [c.g.op('Mul', [slopes(c), absolute])])])));
    expect(attention.attrs).toMatchObject({ alibi_form: 'symmetric' });
  });

  it('a learned bias by clamped distance (a relative position table, T5-like) beside a padding mask: relative_position_bias [H, 2M+1]', () => {
    const c = core();
    const m = 2;
    const table = c.g.constant(randomTensor(random, 'f32', [2 * m + 1, HEADS]), 'relative_attention_bias');
    const d = distances(c);
    const clamped = c.g.op('Sub', [c.g.op('Relu', [c.g.op('Add', [d, c.g.scalar(m)])]), c.g.op('Relu', [c.g.op('Sub', [d, c.g.scalar(m)])])]);
    const lookedUp = c.g.op('Gather', [table, c.g.op('Cast', [clamped], { to: 7 })], { axis: 0 });
    const bias = c.g.op('Unsqueeze', [c.g.op('Transpose', [lookedUp], { perm: [2, 0, 1] }), c.g.ints([0])]);
    const pad = c.g.input('pad', 'f32', ['batch', 1, 1, 'seq']);
    const graph = finish(c, c.g.op('Add', [c.scores, c.g.op('Add', [bias, pad])]));
    const feedSets = feeds().map((set) => ({ ...set, pad: randomTensor(random, 'f32', [2, 1, 1, set.q.shape[2]], { low: -3, high: 0 }) }));
    const { compiled } = compileAndCompare(graph, passes, feedSets, 2e-5);
    const attention = compiled.nodes.find((node) => node.op === 'Attention')!;
    expect(attention.attrs.relative_max_distance).toBe(m);
    expect(compiled.typeOf(attention.inputs[11]).shape).toEqual([HEADS, 2 * m + 1]);
    expect(attention.inputs[3]).toBe('pad');
    expect(countOps(compiled).Gather).toBeUndefined();
  });

  it('a bias of i · j (no position bias) stays a mask, with the same numbers', () => {
    const c = core();
    const p = positions(c);
    const product = c.g.op('Mul', [c.g.op('Unsqueeze', [p, c.g.ints([0])]), c.g.op('Unsqueeze', [p, c.g.ints([1])])]);
    const { attention } = fused(finish(c, c.g.op('Add', [c.scores, c.g.op('Mul', [product, c.g.scalar(0.01)])])));
    expect(attention.inputs).toHaveLength(4);
  });

  it('a bias of (j - i)² (by distance but never constant) stays a mask', () => {
    const c = core();
    const d = distances(c);
    const { attention } = fused(finish(c, c.g.op('Add', [c.scores, c.g.op('Mul', [c.g.op('Mul', [d, d]), c.g.scalar(-0.01)])])));
    expect(attention.inputs).toHaveLength(4);
  });
});
