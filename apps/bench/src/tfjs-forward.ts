/**
 * The benchmark's computations written with tfjs ops, as a user of
 * tfjs-backend-wasm would: one 2-D matMul pair per head (batched or
 * transposed matMuls take a slow scalar path in that backend, so Kᵀ is an
 * explicit transpose), softmax over the last axis, and LayerNorm from
 * mean/variance since tfjs has no LayerNorm op. Legend: H heads, S sequence
 * length, D head size, E model width.
 */
import type * as Tf from '@tensorflow/tfjs-core';
import type { AttentionSpec } from './cases.js';
import { LAYER_NORM_EPSILON, type MhaWeights } from './graphs.js';

type TfModule = typeof Tf;

/** One head's softmax(q·kᵀ·scale + mask)·v on [S, D] tensors; `additiveMask` is [S, S] (0 or -∞). */
export function attentionHead(tf: TfModule, q: Tf.Tensor2D, k: Tf.Tensor2D, v: Tf.Tensor2D, additiveMask?: Tf.Tensor2D): Tf.Tensor2D {
  const scale = 1 / Math.sqrt(q.shape[1]);
  let scores = tf.mul(tf.matMul(q, tf.transpose(k)), scale) as Tf.Tensor2D;
  if (additiveMask) scores = tf.add(scores, additiveMask);
  return tf.matMul(tf.softmax(scores), v);
}

/** The causal mask as an additive [S, S] tensor: 0 on and below the diagonal, -∞ above. */
export function causalAdditiveMask(tf: TfModule, seq: number): Tf.Tensor2D {
  const values = new Float32Array(seq * seq);
  for (let row = 0; row < seq; row++) values.fill(-Infinity, row * seq + row + 1, (row + 1) * seq);
  return tf.tensor2d(values, [seq, seq]);
}

/** The attention core on Q, K, V of [1, H, S, D] (row-major JS arrays); returns [1, H, S, D]. */
export function attentionForward(tf: TfModule, q: Float32Array, k: Float32Array, v: Float32Array, spec: AttentionSpec, additiveMask?: Tf.Tensor2D): Float32Array {
  const { heads, seq, headSize } = spec;
  const headElements = seq * headSize;
  const out = new Float32Array(heads * headElements);
  for (let head = 0; head < heads; head++) {
    const slice = (data: Float32Array): Tf.Tensor2D => tf.tensor2d(data.subarray(head * headElements, (head + 1) * headElements), [seq, headSize]);
    const context = tf.tidy(() => attentionHead(tf, slice(q), slice(k), slice(v), additiveMask));
    out.set(context.dataSync(), head * headElements);
    context.dispose();
  }
  return out;
}

/** The MHA block's weights as tfjs tensors (created once, like a loaded model). */
export interface TfMhaWeights {
  readonly wq: Tf.Tensor2D;
  readonly bq: Tf.Tensor1D;
  readonly wk: Tf.Tensor2D;
  readonly bk: Tf.Tensor1D;
  readonly wv: Tf.Tensor2D;
  readonly bv: Tf.Tensor1D;
  readonly wo: Tf.Tensor2D;
  readonly bo: Tf.Tensor1D;
  readonly gamma: Tf.Tensor1D;
  readonly beta: Tf.Tensor1D;
}

/** Uploads the MHA weights. */
export function uploadMhaWeights(tf: TfModule, weights: MhaWeights): TfMhaWeights {
  const width = weights.bq.length;
  const matrix = (data: Float32Array): Tf.Tensor2D => tf.tensor2d(data, [width, width]);
  return {
    wq: matrix(weights.wq),
    bq: tf.tensor1d(weights.bq),
    wk: matrix(weights.wk),
    bk: tf.tensor1d(weights.bk),
    wv: matrix(weights.wv),
    bv: tf.tensor1d(weights.bv),
    wo: matrix(weights.wo),
    bo: tf.tensor1d(weights.bo),
    gamma: tf.tensor1d(weights.gamma),
    beta: tf.tensor1d(weights.beta),
  };
}

function layerNorm(tf: TfModule, x: Tf.Tensor2D, gamma: Tf.Tensor1D, beta: Tf.Tensor1D): Tf.Tensor2D {
  const centered = tf.sub(x, tf.mean(x, 1, true));
  const variance = tf.mean(tf.square(centered), 1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON))), gamma), beta);
}

/** The MHA block on x of [1, S, E] (row-major); returns y of [1, S, E]. */
export function mhaBlockForward(tf: TfModule, x: Float32Array, seq: number, heads: number, weights: TfMhaWeights): Float32Array {
  const width = x.length / seq;
  const headSize = width / heads;
  const y = tf.tidy(() => {
    const input = tf.tensor2d(x, [seq, width]);
    const q = tf.add(tf.matMul(input, weights.wq), weights.bq) as Tf.Tensor2D;
    const k = tf.add(tf.matMul(input, weights.wk), weights.bk) as Tf.Tensor2D;
    const v = tf.add(tf.matMul(input, weights.wv), weights.bv) as Tf.Tensor2D;
    const head = (value: Tf.Tensor2D, index: number): Tf.Tensor2D => tf.slice(value, [0, index * headSize], [seq, headSize]);
    const contexts = Array.from({ length: heads }, (_, index) => attentionHead(tf, head(q, index), head(k, index), head(v, index)));
    const projected = tf.add(tf.matMul(tf.concat(contexts, 1), weights.wo), weights.bo) as Tf.Tensor2D;
    return layerNorm(tf, tf.add(projected, input), weights.gamma, weights.beta);
  });
  const values = y.dataSync() as Float32Array;
  y.dispose();
  return values;
}
