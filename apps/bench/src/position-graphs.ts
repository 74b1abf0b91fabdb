/**
 * The position-information benchmark graphs, written op by op in the
 * unfused form exporters produce, with a symbolic sequence length `seq`
 * (dynamic axes): Ladon compiles them (the compiler moves the positions
 * into the attention), onnxruntime-web runs the same graphs as ONNX models.
 * Legend: B = 1, H query heads, Hkv key/value heads, S = seq, D head size.
 *
 * - ALiBi (MPT/BLOOM style): bias = slopes[H, 1, 1] · (j - i), computed
 *   from positions and added to the scaled scores — [H, S, S] when unfused.
 * - relative bias (T5 style, a learned [2M + 1, H] table looked up at the
 *   clamped distance j - i, M = 128) — [H, S, S] when unfused.
 * - rotary + GQA (LLaMA style): cos/sin of positions · inv_freq, rotate_half
 *   on Q and K, K and V repeated to the query heads, causal finfo.min mask.
 */
import { GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { normals } from './random.js';

/** A position benchmark: which graph, and its sizes. */
export interface PositionSpec {
  readonly kind: 'position';
  readonly position: 'alibi' | 'relative' | 'rotary-gqa';
  readonly heads: number;
  readonly kvHeads: number;
  readonly seq: number;
  readonly headSize: number;
  readonly causal: boolean;
}

/** The relative table's reach M: distances beyond ±M share an entry (T5's default bucket horizon). */
export const RELATIVE_MAX_DISTANCE = 128;
const FINFO_MIN = -3.4028234663852886e38;

/** arange(S) as f32, from q's shape. */
function positions(g: GraphBuilder, q: ValueRef): ValueRef {
  const seq = g.op('Squeeze', [g.op('Slice', [g.op('Shape', [q]), g.ints([2]), g.ints([3])]), g.ints([0])]);
  return g.op('Cast', [g.op('Range', [g.constant(tensor('i64', [], [0])), seq, g.constant(tensor('i64', [], [1]))])], { to: 1 });
}

/** j - i as f32 [S, S]. */
function distances(g: GraphBuilder, q: ValueRef): ValueRef {
  const p = positions(g, q);
  return g.op('Sub', [g.op('Unsqueeze', [p, g.ints([0])]), g.op('Unsqueeze', [p, g.ints([1])])]);
}

/** A causal mask [S, S] from Trilu of ones (true = attend), applied with Where(-inf). */
function causal(g: GraphBuilder, q: ValueRef, logits: ValueRef): ValueRef {
  const seq = g.op('Slice', [g.op('Shape', [q]), g.ints([2]), g.ints([3])]);
  const ones = g.op('ConstantOfShape', [g.op('Concat', [seq, seq], { axis: 0 })], { value: tensor('bool', [1], [1]) });
  return g.op('Where', [g.op('Trilu', [ones], { upper: 0 }), logits, g.scalar(-Infinity)]);
}

/** The paper's ALiBi slopes 2^(-8(h+1)/H) as [H, 1, 1]. */
function slopes(g: GraphBuilder, heads: number): ValueRef {
  return g.constant(tensor('f32', [heads, 1, 1], Array.from({ length: heads }, (_, h) => 2 ** ((-8 * (h + 1)) / heads))), 'alibi_slopes');
}

/** table[clamp(j - i, -M, M) + M] per head, [1, H, S, S]: Relu(d + M) - Relu(d - M) indexes a [2M + 1, H] table. */
function relativeBias(g: GraphBuilder, q: ValueRef, heads: number): ValueRef {
  const m = RELATIVE_MAX_DISTANCE;
  const table = g.constant(tensor('f32', [2 * m + 1, heads], normals(40, (2 * m + 1) * heads, 0.5)), 'relative_attention_bias');
  const d = distances(g, q);
  const index = g.op('Sub', [g.op('Relu', [g.op('Add', [d, g.scalar(m)])]), g.op('Relu', [g.op('Sub', [d, g.scalar(m)])])]);
  const looked = g.op('Gather', [table, g.op('Cast', [index], { to: 7 })], { axis: 0 });
  return g.op('Unsqueeze', [g.op('Transpose', [looked], { perm: [2, 0, 1] }), g.ints([0])]);
}

/** softmax(logits)·v as the output `out`. */
function finish(g: GraphBuilder, logits: ValueRef, v: ValueRef): Graph {
  g.output(g.op('MatMul', [g.op('Softmax', [logits], { axis: -1 }), v]), 'out');
  return g.build();
}

/** The ALiBi or relative-bias attention graph: q, k, v of [1, H, seq, D]. */
export function buildBiasGraph(spec: PositionSpec): Graph {
  const g = new GraphBuilder(`${spec.position}${spec.causal ? '_causal' : ''}`);
  const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', [1, spec.heads, 'seq', spec.headSize]));
  const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]), g.scalar(1 / Math.sqrt(spec.headSize))]);
  const bias = spec.position === 'alibi' ? g.op('Mul', [slopes(g, spec.heads), distances(g, q)]) : relativeBias(g, q, spec.heads);
  const logits = g.op('Add', [scores, bias]);
  return finish(g, spec.causal ? causal(g, q, logits) : logits, v);
}

/** LLaMA's rotate_half: cat(-x[..., D/2:], x[..., :D/2]). */
function rotateHalf(g: GraphBuilder, x: ValueRef, size: number): ValueRef {
  const half = (start: number, end: number): ValueRef => g.op('Slice', [x, g.ints([start]), g.ints([end]), g.ints([-1])]);
  return g.op('Concat', [g.op('Neg', [half(size / 2, size)]), half(0, size / 2)], { axis: -1 });
}

/** k [1, Hkv, S, D] repeated to [1, H, S, D] (LLaMA's repeat_kv: expand + reshape). */
function repeatKv(g: GraphBuilder, x: ValueRef, spec: PositionSpec): ValueRef {
  const group = spec.heads / spec.kvHeads;
  const seq = g.op('Slice', [g.op('Shape', [x]), g.ints([2]), g.ints([3])]);
  const expanded = g.op('Expand', [g.op('Unsqueeze', [x, g.ints([2])]), g.op('Concat', [g.ints([1, spec.kvHeads, group]), seq, g.ints([spec.headSize])], { axis: 0 })]);
  return g.op('Reshape', [expanded, g.ints([1, spec.heads, -1, spec.headSize])]);
}

/** The LLaMA-style graph: q [1, H, seq, D], k and v [1, Hkv, seq, D]; rotary from positions, GQA, causal. */
export function buildRotaryGraph(spec: PositionSpec): Graph {
  const g = new GraphBuilder('rotary_gqa');
  const q = g.input('q', 'f32', [1, spec.heads, 'seq', spec.headSize]);
  const [k, v] = ['k', 'v'].map((name) => g.input(name, 'f32', [1, spec.kvHeads, 'seq', spec.headSize]));
  const half = spec.headSize / 2;
  const inverse = g.constant(tensor('f32', [half], Array.from({ length: half }, (_, i) => 10000 ** ((-2 * i) / spec.headSize))), 'inv_freq');
  const angles = g.op('Mul', [g.op('Unsqueeze', [positions(g, q), g.ints([1])]), inverse]);
  const both = g.op('Concat', [angles, angles], { axis: -1 });
  const [cos, sin] = ['Cos', 'Sin'].map((op) => g.op('Unsqueeze', [g.op(op, [both]), g.ints([0, 1])]));
  const rope = (x: ValueRef): ValueRef => g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotateHalf(g, x, spec.headSize), sin])]);
  const keys = repeatKv(g, rope(k), spec);
  const scores = g.op('Div', [g.op('MatMul', [rope(q), g.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]), g.scalar(Math.sqrt(spec.headSize))]);
  const seq = g.op('Slice', [g.op('Shape', [q]), g.ints([2]), g.ints([3])]);
  const minimum = g.op('ConstantOfShape', [g.op('Concat', [seq, seq], { axis: 0 })], { value: tensor('f32', [1], [FINFO_MIN]) });
  const future = g.op('Trilu', [minimum, g.constant(tensor('i64', [], [1]))], { upper: 1 });
  return finish(g, g.op('Add', [scores, future]), repeatKv(g, v, spec));
}

/** The graph of a position spec. */
export function buildPositionGraph(spec: PositionSpec): Graph {
  return spec.position === 'rotary-gqa' ? buildRotaryGraph(spec) : buildBiasGraph(spec);
}
