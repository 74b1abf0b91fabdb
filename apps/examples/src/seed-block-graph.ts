/**
 * The seed multi-head attention block, written op by op with the builder:
 * Q/K/V Linear, split heads, QKᵀ/√d, padding mask (masked_fill), softmax,
 * ·V, merge heads, output Linear, residual + LayerNorm. This is the unfused
 * form an exporter produces; the compiler's job is to find the attention in it.
 */
import { GraphBuilder, tensor, type Graph, type ValueRef } from '@ladon/ir';
import { mulberry32, normals } from './random.js';

/** Sizes of the seed block. */
export interface SeedBlockSizes {
  readonly dModel: number;
  readonly heads: number;
}

/** softmax(QKᵀ/√d with padded keys (mask 0) set to -1e9), as an exporter writes it. */
function maskedSoftmax(g: GraphBuilder, q: ValueRef, kT: ValueRef, mask: ValueRef, headSize: number): ValueRef {
  const scores = g.op('Div', [g.op('MatMul', [q, kT]), g.scalar(Math.sqrt(headSize))]);
  const padded = g.op('Equal', [mask, g.constant(tensor('i64', [], [0]))]);
  const masked = g.op('Where', [padded, g.scalar(-1e9), scores]);
  return g.op('Softmax', [masked], { axis: -1 });
}

/** What else the seed block graph shows besides its output `y`. */
export interface SeedBlockOutputs {
  /** Also output the softmax probabilities as `attention_weights` [batch, heads, seq, seq]. */
  readonly attentionWeights?: boolean;
}

/**
 * Builds the seed block with weights drawn from `seed` (PyTorch-like uniform init scale).
 * With `outputs.attentionWeights` the softmax is a graph output too; the
 * compiler still fuses the attention and returns the weights from it.
 */
export function buildSeedBlock(sizes: SeedBlockSizes = { dModel: 64, heads: 8 }, seed = 1, outputs: SeedBlockOutputs = {}): Graph {
  const { dModel, heads } = sizes;
  const headSize = dModel / heads;
  const uniform = mulberry32(seed);
  const g = new GraphBuilder('seed_mha_block');
  const x = g.input('x', 'f32', ['batch', 'seq', dModel]);
  const mask = g.input('mask', 'i64', ['batch', 1, 1, 'seq']);
  const weight = (name: string, shape: number[], scale: number): ValueRef =>
    g.constant(tensor('f32', shape, normals(uniform, shape.reduce((a, b) => a * b, 1), scale)), name);
  const linear = (input: ValueRef, name: string): ValueRef => {
    const w = weight(`${name}.weight`, [dModel, dModel], 1 / Math.sqrt(dModel));
    const b = weight(`${name}.bias`, [dModel], 0.1);
    return g.op('Add', [g.op('MatMul', [input, w]), b]);
  };
  const splitHeads = (input: ValueRef, perm: number[]): ValueRef =>
    g.op('Transpose', [g.op('Reshape', [input, g.ints([0, 0, heads, headSize])])], { perm });

  const q = splitHeads(linear(x, 'q_proj'), [0, 2, 1, 3]);
  const kT = splitHeads(linear(x, 'k_proj'), [0, 2, 3, 1]);
  const v = splitHeads(linear(x, 'v_proj'), [0, 2, 1, 3]);
  const weights = maskedSoftmax(g, q, kT, mask, headSize);
  const context = g.op('MatMul', [weights, v]);
  const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 2, 1, 3] }), g.ints([0, 0, dModel])]);
  const projected = linear(merged, 'out_proj');
  const residual = g.op('Add', [projected, x]);
  const gamma = g.constant(tensor('f32', [dModel], normals(uniform, dModel, 0.1).map((n) => 1 + n)), 'norm.weight');
  const beta = weight('norm.bias', [dModel], 0.1);
  g.output(g.op('LayerNormalization', [residual, gamma, beta], { axis: -1, epsilon: 1e-5 }), 'y');
  if (outputs.attentionWeights) g.output(weights, 'attention_weights');
  return g.build();
}
