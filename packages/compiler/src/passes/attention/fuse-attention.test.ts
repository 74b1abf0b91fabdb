import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { divToMulPass } from '../div-to-mul.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { compileAndCompare } from './test-support.js';
import { randomTensor, seededRandom } from '@ladon/ir/testing';

const passes = [divToMulPass, fuseAttentionPass];
const random = seededRandom(42);

interface Core {
  g: GraphBuilder;
  q: ValueRef;
  k: ValueRef;
  v: ValueRef;
}

/** Q, K, V inputs of shape [batch, heads, seq, 8]. */
function core(heads = 2, kvHeads = heads): Core {
  const g = new GraphBuilder('attention');
  return {
    g,
    q: g.input('q', 'f32', ['batch', heads, 'seq', 8]),
    k: g.input('k', 'f32', ['batch', kvHeads, 'seq', 8]),
    v: g.input('v', 'f32', ['batch', kvHeads, 'seq', 8]),
  };
}

function kTransposed({ g, k }: Core): ValueRef {
  return g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
}

function finish({ g, v }: Core, logits: ValueRef): Graph {
  g.output(g.op('MatMul', [g.op('Softmax', [logits], { axis: -1 }), v]), 'y');
  return g.build();
}

function feeds(extra: Record<string, ReturnType<typeof tensor>> = {}, heads = 2, kvHeads = heads) {
  return [2, 5].map((seq) => ({
    q: randomTensor(random, 'f32', [2, heads, seq, 8]),
    k: randomTensor(random, 'f32', [2, kvHeads, seq, 8]),
    v: randomTensor(random, 'f32', [2, kvHeads, seq, 8]),
    ...extra,
  }));
}

function expectFused(graph: Graph, feedSets: ReturnType<typeof feeds>, attrs: Record<string, number> = {}) {
  const { compiled, reports } = compileAndCompare(graph, passes, feedSets);
  const counts = countOps(compiled);
  expect(counts.Attention).toBe(1);
  expect(counts.Softmax).toBeUndefined();
  const attention = compiled.nodes.find((node) => node.op === 'Attention')!;
  expect(attention.attrs).toMatchObject(attrs);
  return { compiled, reports, attention };
}

describe('attention fusion: forms that fuse', () => {
  it('scale after the product, as a division', () => {
    const c = core();
    const scores = c.g.op('Div', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(Math.sqrt(8))]);
    expectFused(finish(c, scores), feeds(), { scale: Math.fround(1 / Math.fround(Math.sqrt(8))) });
  });

  it('scale on Q before the product, with an additive float mask', () => {
    const c = core();
    const mask = c.g.input('mask', 'f32', ['batch', 1, 1, 'seq']);
    const qScaled = c.g.op('Mul', [c.q, c.g.scalar(0.25)]);
    const scores = c.g.op('Add', [c.g.op('MatMul', [qScaled, kTransposed(c)]), mask]);
    const feedSets = feeds().map((set) => ({ ...set, mask: randomTensor(random, 'f32', [2, 1, 1, set.q.shape[2]]) }));
    const { attention } = expectFused(finish(c, scores), feedSets, { scale: 0.25 });
    expect(attention.inputs[3]).toBe('mask');
  });

  it('sqrt(scale) on both Q and Kᵀ (the SDPA export form)', () => {
    const c = core();
    const root = c.g.scalar(Math.sqrt(0.3));
    const scores = c.g.op('MatMul', [c.g.op('Mul', [c.q, root]), c.g.op('Mul', [root, kTransposed(c)])]);
    expectFused(finish(c, scores), feeds(), { scale: Math.fround(Math.fround(Math.sqrt(0.3)) ** 2) });
  });

  it('a padding mask through masked_fill (Where on Equal(mask, 0))', () => {
    const c = core();
    const mask = c.g.input('mask', 'i64', ['batch', 1, 1, 'seq']);
    const padded = c.g.op('Equal', [mask, c.g.constant(tensor('i64', [], [0]))]);
    const scores = c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]);
    const masked = c.g.op('Where', [padded, c.g.scalar(-1e9), scores]);
    const feedSets = feeds().map((set) => ({ ...set, mask: tensor('i64', [2, 1, 1, set.q.shape[2]], Array.from({ length: 2 * set.q.shape[2] }, (_, i) => (i % 3 === 2 ? 0 : 1))) }));
    expectFused(finish(c, masked), feedSets);
  });

  it('the BERT (1 - mask) * -10000 additive mask', () => {
    const c = core();
    const mask = c.g.input('mask', 'f32', ['batch', 1, 1, 'seq']);
    const additive = c.g.op('Mul', [c.g.op('Sub', [c.g.scalar(1), mask]), c.g.scalar(-10000)]);
    const scores = c.g.op('Add', [c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]), additive]);
    const feedSets = feeds().map((set) => ({ ...set, mask: tensor('f32', [2, 1, 1, set.q.shape[2]], Array.from({ length: 2 * set.q.shape[2] }, (_, i) => (i % 4 === 3 ? 0 : 1))) }));
    expectFused(finish(c, scores), feedSets);
  });

  it('a causal mask from a sliced lower-triangular buffer becomes is_causal', () => {
    const c = core();
    const tril = c.g.constant(tensor('f32', [1, 1, 16, 16], Array.from({ length: 256 }, (_, i) => (i % 16 <= Math.floor(i / 16) ? 1 : 0))), 'tril');
    const seq = c.g.op('Gather', [c.g.op('Shape', [c.q]), c.g.constant(tensor('i64', [1], [2]))], { axis: 0 });
    const zero = c.g.ints([0]);
    const rows = c.g.op('Slice', [tril, zero, seq, c.g.ints([2])]);
    const square = c.g.op('Slice', [rows, zero, seq, c.g.ints([3])]);
    const masked = c.g.op('Equal', [square, c.g.scalar(0)]);
    const scores = c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]);
    const logits = c.g.op('Where', [masked, c.g.scalar(-Infinity), scores]);
    const { attention } = expectFused(finish(c, logits), feeds(), { is_causal: 1 });
    expect(attention.inputs).toHaveLength(3);
  });

  it('a causal mask from Trilu of ones, plus a padding mask', () => {
    const c = core();
    const seq = c.g.op('Slice', [c.g.op('Shape', [c.q]), c.g.ints([2]), c.g.ints([3])]);
    const ones = c.g.op('ConstantOfShape', [c.g.op('Concat', [seq, seq], { axis: 0 })], { value: tensor('f32', [1], [1]) });
    const lower = c.g.op('Trilu', [ones], { upper: 0 });
    const future = c.g.op('Equal', [lower, c.g.scalar(0)]);
    const pad = c.g.input('pad', 'f32', ['batch', 1, 1, 'seq']);
    const scores = c.g.op('Add', [c.g.op('MatMul', [c.q, kTransposed(c)]), pad]);
    const logits = c.g.op('Where', [future, c.g.scalar(-Infinity), scores]);
    const feedSets = feeds().map((set) => ({ ...set, pad: randomTensor(random, 'f32', [2, 1, 1, set.q.shape[2]]) }));
    const { attention } = expectFused(finish(c, logits), feedSets, { is_causal: 1, scale: 1 });
    expect(attention.inputs[3]).toBe('pad');
  });

  it('GQA: K and V repeated per head are traced back to their KV heads', () => {
    const c = core(6, 2);
    const repeat = (value: ValueRef) => {
      const expanded = c.g.op('Expand', [c.g.op('Unsqueeze', [value, c.g.ints([2])]), c.g.op('Concat', [c.g.op('Slice', [c.g.op('Shape', [value]), c.g.ints([0]), c.g.ints([2])]), c.g.ints([3]), c.g.op('Slice', [c.g.op('Shape', [value]), c.g.ints([2]), c.g.ints([4])])], { axis: 0 })]);
      return c.g.op('Reshape', [expanded, c.g.ints([0, 6, -1, 8])]);
    };
    const kRep = repeat(c.k);
    const vRep = repeat(c.v);
    const scores = c.g.op('MatMul', [c.q, c.g.op('Transpose', [kRep], { perm: [0, 1, 3, 2] })]);
    c.g.output(c.g.op('MatMul', [c.g.op('Softmax', [scores], { axis: -1 }), vRep]), 'y');
    const { attention, compiled } = expectFused(c.g.build(), feeds({}, 6, 2));
    expect(attention.inputs.slice(1, 3)).toEqual(['k', 'v']);
    expect(countOps(compiled).Expand).toBeUndefined();
  });

  /** K and V tiled from 2 to 6 heads: `Reshape(Tile(Unsqueeze(x, axis), repeats), [B, 6, S, 8])`. */
  function tiledHeads(axis: number, repeats: number[]) {
    const c = core(6, 2);
    const repeat = (value: ValueRef) => c.g.op('Reshape', [c.g.op('Tile', [c.g.op('Unsqueeze', [value, c.g.ints([axis])]), c.g.ints(repeats)]), c.g.ints([0, 6, -1, 8])]);
    const scores = c.g.op('MatMul', [c.q, c.g.op('Transpose', [repeat(c.k)], { perm: [0, 1, 3, 2] })]);
    c.g.output(c.g.op('MatMul', [c.g.op('Softmax', [scores], { axis: -1 }), repeat(c.v)]), 'y');
    return expectFused(c.g.build(), feeds({}, 6, 2));
  }

  it('GQA by repeat_interleave (a Tile of the new head axis) is traced back to the KV heads', () => {
    const { attention, compiled } = tiledHeads(2, [1, 1, 3, 1, 1]);
    expect(attention.inputs.slice(1, 3)).toEqual(['k', 'v']);
    expect(countOps(compiled).Tile).toBeUndefined();
  });

  it('heads tiled whole (repeat, not interleave: h0 h1 h0 h1 …) keep the tiled K and V', () => {
    const { attention, compiled } = tiledHeads(1, [1, 3, 1, 1, 1]);
    expect(attention.inputs.slice(1, 3)).not.toContain('k');
    expect(countOps(compiled).Tile).toBe(2);
  });

  it('attention weights returned as a graph output map to qk_matmul_output_mode 3', () => {
    const c = core();
    const probs = c.g.op('Softmax', [c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)])], { axis: -1 });
    c.g.output(c.g.op('MatMul', [probs, c.v]), 'y');
    c.g.output(probs, 'weights');
    const { compiled } = expectFused(c.g.build(), feeds(), { qk_matmul_output_mode: 3 });
    expect(compiled.outputs).toEqual(['y', 'weights']);
  });

  it('softcap: c·tanh(s/c) becomes the softcap attribute', () => {
    const c = core();
    const scores = c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]);
    const capped = c.g.op('Mul', [c.g.scalar(2), c.g.op('Tanh', [c.g.op('Div', [scores, c.g.scalar(2)])])]);
    expectFused(finish(c, capped), feeds(), { softcap: 2 });
  });

  it('heads folded into the batch ([B·H, S, D], as nn.MultiheadAttention exports)', () => {
    const g = new GraphBuilder('folded');
    const q = g.input('q', 'f32', ['n', 'seq', 8]);
    const k = g.input('k', 'f32', ['n', 'seq', 8]);
    const v = g.input('v', 'f32', ['n', 'seq', 8]);
    const scores = g.op('MatMul', [g.op('Div', [q, g.scalar(2.828427)]), g.op('Transpose', [k], { perm: [0, 2, 1] })]);
    g.output(g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]), 'y');
    const feedSets = [3, 4].map((seq) => ({ q: randomTensor(random, 'f32', [6, seq, 8]), k: randomTensor(random, 'f32', [6, seq, 8]), v: randomTensor(random, 'f32', [6, seq, 8]) }));
    const { compiled } = compileAndCompare(g.build(), passes, feedSets);
    expect(countOps(compiled).Attention).toBe(1);
    expect(countOps(compiled).Softmax).toBeUndefined();
  });
});

describe('attention fusion: masks that look causal but are not, and masks that do not fit', () => {
  /** Key j masked when j > i or j <= i - width: a sliding window, causal below `width`. */
  function windowed(width: number) {
    const c = core();
    const seq = c.g.op('Gather', [c.g.op('Shape', [c.q]), c.g.constant(tensor('i64', [], [2]))], { axis: 0 });
    const positions = c.g.op('Range', [c.g.constant(tensor('i64', [], [0])), seq, c.g.constant(tensor('i64', [], [1]))]);
    const rows = c.g.op('Unsqueeze', [positions, c.g.ints([1])]);
    const cols = c.g.op('Unsqueeze', [positions, c.g.ints([0])]);
    const offset = c.g.op('Sub', [rows, cols]);
    const future = c.g.op('Equal', [c.g.op('Relu', [c.g.op('Sub', [cols, rows])]), c.g.constant(tensor('i64', [], [0]))]);
    const tooFar = c.g.op('Equal', [c.g.op('Relu', [c.g.op('Sub', [offset, c.g.constant(tensor('i64', [], [width - 1]))])]), c.g.constant(tensor('i64', [], [0]))]);
    const keep = c.g.op('Where', [future, tooFar, c.g.constant(tensor('bool', [], [false]))]);
    const scores = c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]);
    return finish(c, c.g.op('Where', [keep, scores, c.g.scalar(-Infinity)]));
  }

  it('a sliding window of width 8 is not taken for is_causal (it fuses with the window as a mask)', () => {
    const feedSets = [3, 12, 20].map((seq) => ({ q: randomTensor(random, 'f32', [1, 2, seq, 8]), k: randomTensor(random, 'f32', [1, 2, seq, 8]), v: randomTensor(random, 'f32', [1, 2, seq, 8]) }));
    const { compiled } = compileAndCompare(windowed(8), passes, feedSets);
    const attention = compiled.nodes.find((node) => node.op === 'Attention')!;
    expect(attention.attrs.is_causal).toBeUndefined();
    expect(attention.inputs).toHaveLength(4);
  });

  it('a mask that broadcasts along the key axis ([B, 1, S, 1]) is not fused', () => {
    const c = core();
    const rowMask = c.g.input('row_mask', 'f32', ['batch', 1, 'seq', 1]);
    const scores = c.g.op('Add', [c.g.op('MatMul', [c.q, kTransposed(c)]), rowMask]);
    const feedSets = feeds().map((set) => ({ ...set, row_mask: randomTensor(random, 'f32', [2, 1, set.q.shape[2], 1]) }));
    const { compiled } = compileAndCompare(finish(c, scores), passes, feedSets);
    expect(countOps(compiled).Attention).toBeUndefined();
  });

  it('a mask computed from the scores themselves (threshold masking) is not fused, and no cycle appears', () => {
    const c = core();
    const scores = c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(0.35)]);
    const low = c.g.op('Equal', [c.g.op('Relu', [scores]), c.g.scalar(0)]);
    const { compiled } = compileAndCompare(finish(c, c.g.op('Where', [low, c.g.scalar(-1e9), scores])), passes, feeds());
    expect(countOps(compiled).Attention).toBeUndefined();
  });
});

describe('attention fusion: forms that must not fuse (and stay correct)', () => {
  it('the unscaled product is read elsewhere: no qk mode gives it', () => {
    const c2 = core();
    const product2 = c2.g.op('MatMul', [c2.q, kTransposed(c2)]);
    c2.g.output(c2.g.op('MatMul', [c2.g.op('Softmax', [c2.g.op('Mul', [product2, c2.g.scalar(0.35)])], { axis: -1 }), c2.v]), 'y');
    c2.g.output(c2.g.op('Relu', [product2]), 'side');
    const { compiled, reports } = compileAndCompare(c2.g.build(), passes, feeds());
    expect(countOps(compiled).Attention).toBeUndefined();
    expect(Object.keys(reports[1].changes).join()).toContain('declined');
  });

  it('a scale that is not a scalar', () => {
    const c = core();
    const perKey = c.g.constant(tensor('f32', [8], [1, 2, 3, 4, 5, 6, 7, 8]), 'per_dim');
    const scores = c.g.op('MatMul', [c.q, kTransposed(c)]);
    const weird = c.g.op('Mul', [scores, c.g.op('Slice', [perKey, c.g.ints([0]), c.g.op('Gather', [c.g.op('Shape', [scores]), c.g.ints([3])], { axis: 0 })])]);
    const { compiled } = compileAndCompare(finish(c, weird), passes, feeds().slice(0, 1).map((set) => ({ ...set })), 1e-5);
    expect(countOps(compiled).Attention).toBeUndefined();
  });

  it('softmax over a non-key axis', () => {
    const c = core();
    const scores = c.g.op('MatMul', [c.q, kTransposed(c)]);
    c.g.output(c.g.op('MatMul', [c.g.op('Softmax', [scores], { axis: 2 }), c.v]), 'y');
    const { compiled } = compileAndCompare(c.g.build(), passes, feeds());
    expect(countOps(compiled).Attention).toBeUndefined();
  });

  it('a Where that replaces scores with a value that is not a mask fill', () => {
    const c = core();
    const cond = c.g.input('cond', 'bool', ['batch', 1, 1, 'seq']);
    const scores = c.g.op('MatMul', [c.q, kTransposed(c)]);
    const logits = c.g.op('Where', [cond, c.g.scalar(0.5), scores]);
    const feedSets = feeds().map((set) => ({ ...set, cond: randomTensor(random, 'bool', [2, 1, 1, set.q.shape[2]], { trueChance: 0.8 }) }));
    const { compiled } = compileAndCompare(finish(c, logits), passes, feedSets);
    expect(countOps(compiled).Attention).toBeUndefined();
  });
});

describe("attention fusion: torch SDPA's NaN guard on the weights", () => {
  /** softmax(QKᵀ/√8 + mask) guarded as `Where(IsNaN(p), fill, p)`, then · V; batch 1 masks every key. */
  function guarded(fill: number) {
    const c = core();
    const mask = c.g.input('mask', 'f32', ['batch', 1, 1, 'seq']);
    const scores = c.g.op('Add', [c.g.op('Mul', [c.g.op('MatMul', [c.q, kTransposed(c)]), c.g.scalar(1 / Math.sqrt(8))]), mask]);
    const probs = c.g.op('Softmax', [scores], { axis: -1 });
    const weights = c.g.op('Where', [c.g.op('IsNaN', [probs]), c.g.scalar(fill), probs]);
    c.g.output(c.g.op('MatMul', [weights, c.v]), 'y');
    const feedSets = [2, 5].map((seq, index) => ({
      ...feeds({}, 2)[index],
      mask: tensor('f32', [2, 1, 1, seq], Array.from({ length: 2 * seq }, (_, i) => (i < seq ? (i === 0 ? -Infinity : 0) : -Infinity))),
    }));
    return { graph: c.g.build(), feedSets };
  }

  it('fuses Where(IsNaN(p), 0, p): Attention gives the zeros of a fully masked row itself', () => {
    const { graph, feedSets } = guarded(0);
    const { compiled } = expectFused(graph, feedSets, {});
    expect(countOps(compiled).IsNaN).toBeUndefined();
  });

  it('declines a guard that fills anything but 0, and stays correct', () => {
    const { graph, feedSets } = guarded(1);
    const { compiled } = compileAndCompare(graph, passes, feedSets);
    expect(countOps(compiled).Attention).toBeUndefined();
  });
});
