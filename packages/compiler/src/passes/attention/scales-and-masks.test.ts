/**
 * Scales and masks computed from shapes: `sqrt(size(-1))` and `size(-1) ** -0.5`
 * fold to constants once the size is known, a mask expanded to the scores'
 * shape (`expand_as(scores)`) is the unexpanded mask, masked_fill with any
 * very negative fill fuses, and a scale applied after the mask moves onto
 * the scores.
 */
import { countOps, GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { randomTensor, seededRandom } from '@ladon/ir/testing';
import { describe, expect, it } from 'vitest';
import { divToMulPass } from '../div-to-mul.js';
import { foldConstantsPass } from '../fold-constants.js';
import { foldShapesPass } from '../fold-shapes.js';
import { fuseAttentionPass } from './fuse-attention.js';
import { compileAndCompare } from './test-support.js';

const passes = [foldConstantsPass, foldShapesPass, foldConstantsPass, divToMulPass, fuseAttentionPass];
const random = seededRandom(31);
const FINFO_MIN = -3.4028234663852886e38;

interface Core {
  g: GraphBuilder;
  q: ValueRef;
  k: ValueRef;
  v: ValueRef;
  scores: ValueRef;
}

function core(): Core {
  const g = new GraphBuilder('shapes');
  const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', ['batch', 2, 'seq', 8]));
  return { g, q, k, v, scores: g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]) };
}

function finish({ g, v }: Core, logits: ValueRef): Graph {
  g.output(g.op('MatMul', [g.op('Softmax', [logits], { axis: -1 }), v]), 'y');
  return g.build();
}

/** The last size of `value` as a float scalar: `value.size(-1)`. */
function lastSize(g: GraphBuilder, value: ValueRef): ValueRef {
  return g.op('Cast', [g.op('Gather', [g.op('Shape', [value]), g.constant(tensor('i64', [], [3]))], { axis: 0 })], { to: 1 });
}

function feeds(withPad = false) {
  return [
    [2, 5],
    [1, 3],
  ].map(([batch, seq]) => ({
    q: randomTensor(random, 'f32', [batch, 2, seq, 8]),
    k: randomTensor(random, 'f32', [batch, 2, seq, 8]),
    v: randomTensor(random, 'f32', [batch, 2, seq, 8]),
    ...(withPad ? { pad: tensor('i64', [batch, seq], Array.from({ length: batch * seq }, (_, i) => (i % seq === seq - 1 && seq > 1 ? 0 : 1))) } : {}),
  }));
}

function fused(graph: Graph, feedSets: ReturnType<typeof feeds>) {
  const { compiled, reports } = compileAndCompare(graph, passes, feedSets);
  expect(countOps(compiled).Attention, JSON.stringify(reports.map((report) => report.changes))).toBe(1);
  expect(countOps(compiled).Softmax).toBeUndefined();
  expect(countOps(compiled).MatMul, 'no product left beside the Attention').toBeUndefined();
  return compiled.nodes.find((node) => node.op === 'Attention')!;
}

describe('scales computed from shapes', () => {
  it('scores / sqrt(k.size(-1)) folds to scale 1/sqrt(8)', () => {
    const c = core();
    const attention = fused(finish(c, c.g.op('Div', [c.scores, c.g.op('Sqrt', [lastSize(c.g, c.k)])])), feeds());
    expect(attention.attrs.scale).toBeCloseTo(1 / Math.sqrt(8), 6);
  });

  it('scores * k.size(-1) ** -0.5 folds too', () => {
    const c = core();
    const attention = fused(finish(c, c.g.op('Mul', [c.scores, c.g.op('Pow', [lastSize(c.g, c.k), c.g.scalar(-0.5)])])), feeds());
    expect(attention.attrs.scale).toBeCloseTo(1 / Math.sqrt(8), 6);
  });
});

describe('masks that depend only on the scores shape', () => {
  /** DistilBERT 4.x: (mask == 0).view(B, 1, 1, S).expand_as(scores), masked_fill(fill). */
  function expandAs(c: Core, fill: number): ValueRef {
    const pad = c.g.input('pad', 'i64', ['batch', 'seq']);
    const dropped = c.g.op('Unsqueeze', [c.g.op('Equal', [pad, c.g.constant(tensor('i64', [], [0]))]), c.g.ints([1, 2])]);
    const expanded = c.g.op('Expand', [dropped, c.g.op('Shape', [c.scores])]);
    return c.g.op('Where', [expanded, c.g.scalar(fill), c.g.op('Mul', [c.scores, c.g.scalar(0.35)])]);
  }

  for (const fill of [FINFO_MIN, -Infinity, -1e4, -1e9]) {
    it(`expand_as(scores) + masked_fill(${fill}) fuses; the Expand and the scores' Shape go`, () => {
      const c = core();
      const attention = fused(finish(c, expandAs(c, fill)), feeds(true));
      expect(attention.inputs).toHaveLength(4);
      expect(attention.attrs.qk_matmul_output_mode).toBeUndefined();
    });
  }

  it('masked_fill, then the scale (rotary exports: torch.where(mask, w, finfo.min) / sqrt(d)): the scale moves onto the scores', () => {
    const c = core();
    const pad = c.g.op('Unsqueeze', [c.g.op('Equal', [c.g.input('pad', 'i64', ['batch', 'seq']), c.g.constant(tensor('i64', [], [1]))]), c.g.ints([1, 2])]);
    const masked = c.g.op('Where', [pad, c.scores, c.g.scalar(FINFO_MIN)]);
    const attention = fused(finish(c, c.g.op('Div', [masked, c.g.scalar(Math.sqrt(8))])), feeds(true));
    expect(attention.attrs.scale).toBeCloseTo(1 / Math.sqrt(8), 6);
  });

  it('an additive mask before the scale is scaled with the scores', () => {
    const c = core();
    const bias = c.g.input('bias', 'f32', ['batch', 1, 1, 'seq']);
    const attention = fused(finish(c, c.g.op('Mul', [c.g.op('Add', [c.scores, bias]), c.g.scalar(0.5)])), feeds().map((set) => ({ ...set, bias: randomTensor(random, 'f32', [set.q.shape[0], 1, 1, set.q.shape[2]]) })));
    expect(attention.inputs).toHaveLength(4);
    expect(attention.attrs.scale).toBe(0.5);
  });

  it('a subtracted mask (scores - bias, as symmetric ALiBi exports write it) fuses as the negated mask', () => {
    const c = core();
    const bias = c.g.input('bias', 'f32', ['batch', 1, 1, 'seq']);
    const feedSets = feeds().map((set) => ({ ...set, bias: randomTensor(random, 'f32', [set.q.shape[0], 1, 1, set.q.shape[2]]) }));
    const attention = fused(finish(c, c.g.op('Sub', [c.g.op('Mul', [c.scores, c.g.scalar(0.35)]), bias])), feedSets);
    expect(attention.inputs).toHaveLength(4);
  });

  it('bias - scores is not a mask on the scores, and stays correct', () => {
    const c = core();
    const bias = c.g.input('bias', 'f32', ['batch', 1, 1, 'seq']);
    const feedSets = feeds().map((set) => ({ ...set, bias: randomTensor(random, 'f32', [set.q.shape[0], 1, 1, set.q.shape[2]]) }));
    const { compiled } = compileAndCompare(finish(c, c.g.op('Sub', [bias, c.scores])), passes, feedSets);
    expect(countOps(compiled).Attention).toBeUndefined();
  });

  it('a zero mask of the scores shape (ConstantOfShape) changes nothing and goes', () => {
    const c = core();
    const zeros = c.g.op('ConstantOfShape', [c.g.op('Shape', [c.scores])], { value: tensor('f32', [1], [0]) });
    const attention = fused(finish(c, c.g.op('Add', [c.g.op('Mul', [c.scores, c.g.scalar(0.35)]), zeros])), feeds());
    expect(attention.inputs).toHaveLength(3);
  });

  it('a per-row mask expanded to the scores shape does not fuse (it broadcasts along the key axis), and stays correct', () => {
    const c = core();
    const rows = c.g.input('rows', 'bool', ['batch', 1, 'seq', 1]);
    const logits = c.g.op('Where', [c.g.op('Expand', [rows, c.g.op('Shape', [c.scores])]), c.g.scalar(-1e9), c.scores]);
    const feedSets = feeds().map((set) => ({ ...set, rows: randomTensor(random, 'bool', [set.q.shape[0], 1, set.q.shape[2], 1], { trueChance: 0.3 }) }));
    const { compiled } = compileAndCompare(finish(c, logits), passes, feedSets);
    expect(countOps(compiled).Attention).toBeUndefined();
  });
});
