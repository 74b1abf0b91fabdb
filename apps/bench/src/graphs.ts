/**
 * The benchmark graphs, written op by op with the IR builder in the unfused
 * form an exporter produces: MatMul(Q, Transpose(K)) → Mul(scale) →
 * [Where(causal mask)] → Softmax → MatMul(V), and the MHA block around it.
 * Ladon compiles these graphs; onnxruntime-web gets exactly the same graphs
 * as ONNX models (see inputs.ts). Legend: B = 1, H heads, S sequence
 * length, D head size, E model width.
 */
import { GraphBuilder, tensor, type Dim, type Graph, type ValueRef } from '@ladon/ir';
import type { AttentionSpec, MhaBlockSpec } from './cases.js';

/** The weights of the MHA block: projections as x·W ([E, E]) + b, then LayerNorm's scale and shift. */
export interface MhaWeights {
  readonly wq: Float32Array;
  readonly bq: Float32Array;
  readonly wk: Float32Array;
  readonly bk: Float32Array;
  readonly wv: Float32Array;
  readonly bv: Float32Array;
  readonly wo: Float32Array;
  readonly bo: Float32Array;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
}

/** LayerNormalization's epsilon in the MHA block. */
export const LAYER_NORM_EPSILON = 1e-5;

/** softmax(q·kᵀ·scale [masked causally])·v on [B, H, S, D] values, as an exporter writes it. */
function attentionCore(g: GraphBuilder, q: ValueRef, k: ValueRef, v: ValueRef, headSize: number, causalSeq?: number): ValueRef {
  const keysT = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
  let scores = g.op('Mul', [g.op('MatMul', [q, keysT]), g.scalar(1 / Math.sqrt(headSize))]);
  if (causalSeq !== undefined) {
    const ones = g.op('ConstantOfShape', [g.ints([causalSeq, causalSeq])], { value: tensor('bool', [1], [1]) });
    const keep = g.op('Trilu', [ones], { upper: 0 });
    scores = g.op('Where', [keep, scores, g.scalar(-Infinity)]);
  }
  return g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
}

/**
 * The attention core graph: inputs q, k, v of [1, H, S, D], output `out`.
 * With `symbolicSeq`, S is the symbol `seq` (one program for every length).
 */
export function buildAttentionGraph(spec: AttentionSpec, symbolicSeq = false): Graph {
  const seq: Dim = symbolicSeq ? 'seq' : spec.seq;
  if (symbolicSeq && spec.causal) throw new Error('the symbolic-length attention graph is built without a causal mask');
  const g = new GraphBuilder(`attention${spec.causal ? '_causal' : ''}_s${symbolicSeq ? 'seq' : spec.seq}`);
  const shape = [1, spec.heads, seq, spec.headSize];
  const [q, k, v] = ['q', 'k', 'v'].map((name) => g.input(name, 'f32', shape));
  g.output(attentionCore(g, q, k, v, spec.headSize, spec.causal ? spec.seq : undefined), 'out');
  return g.build();
}

/**
 * Attention for a few query rows against all S keys: q of [1, H, R, D], k
 * and v of [1, H, S, D]. Its output rows equal those rows of the full
 * attention core's output (non-causal), so the interpreter can check a
 * length too long to interpret whole.
 */
export function buildRowSampleGraph(spec: AttentionSpec, rows: number): Graph {
  const g = new GraphBuilder(`attention_rows_${rows}_of_${spec.seq}`);
  const q = g.input('q', 'f32', [1, spec.heads, rows, spec.headSize]);
  const [k, v] = ['k', 'v'].map((name) => g.input(name, 'f32', [1, spec.heads, spec.seq, spec.headSize]));
  g.output(attentionCore(g, q, k, v, spec.headSize), 'out');
  return g.build();
}

/** The MHA block graph: input x of [1, S, E], output `y`. */
export function buildMhaBlockGraph(spec: MhaBlockSpec, weights: MhaWeights): Graph {
  const { heads, seq, modelWidth } = spec;
  const headSize = modelWidth / heads;
  const g = new GraphBuilder(`mha_block_s${seq}_e${modelWidth}`);
  const x = g.input('x', 'f32', [1, seq, modelWidth]);
  const param = (name: string, shape: number[], data: Float32Array): ValueRef => g.constant(tensor('f32', shape, data), name);
  const linear = (input: ValueRef, name: string, w: Float32Array, b: Float32Array): ValueRef =>
    g.op('Add', [g.op('MatMul', [input, param(`${name}.weight`, [modelWidth, modelWidth], w)]), param(`${name}.bias`, [modelWidth], b)]);
  const splitHeads = (input: ValueRef): ValueRef =>
    g.op('Transpose', [g.op('Reshape', [input, g.ints([1, seq, heads, headSize])])], { perm: [0, 2, 1, 3] });

  const q = splitHeads(linear(x, 'q_proj', weights.wq, weights.bq));
  const k = splitHeads(linear(x, 'k_proj', weights.wk, weights.bk));
  const v = splitHeads(linear(x, 'v_proj', weights.wv, weights.bv));
  const context = attentionCore(g, q, k, v, headSize);
  const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 2, 1, 3] }), g.ints([1, seq, modelWidth])]);
  const residual = g.op('Add', [linear(merged, 'out_proj', weights.wo, weights.bo), x]);
  const gamma = param('norm.weight', [modelWidth], weights.gamma);
  const beta = param('norm.bias', [modelWidth], weights.beta);
  g.output(g.op('LayerNormalization', [residual, gamma, beta], { axis: -1, epsilon: LAYER_NORM_EPSILON }), 'y');
  return g.build();
}
