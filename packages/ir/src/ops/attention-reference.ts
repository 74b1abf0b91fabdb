/**
 * Reference semantics of ONNX `Attention` (opsets 23–25), the ground truth
 * every backend is checked against. For each batch b, query head h and query
 * row i (legend in attention.ts):
 *
 *   s_j   = scale · Σ_d Q[b,h,i,d] · K̂[b,g(h),j,d]      (mode 0 output)
 *   c_j   = softcap · tanh(s_j / softcap) if softcap > 0  (mode 1 output)
 *   z_j   = c_j + bias[b,h,i,j]                           (mode 2 output)
 *   p     = softmax(z), or all zeros if every z_j = -inf  (mode 3 output)
 *   Y[b,h,i,:] = Σ_j p_j · V̂[b,g(h),j,:]
 *
 * where K̂ = concat(past_key, K) and V̂ = concat(past_value, V) on the sequence
 * axis (these are present_key / present_value), g(h) = floor(h / (Hq/Hkv))
 * maps a query head to its key/value head (GQA/MQA), the default scale is
 * 1/sqrt(D), and the bias comes from attention-bias.ts. With rotary tables
 * (attention-position.ts), Q and the new K are rotated first (the rotated K
 * is what present_key holds). 3-D inputs
 * `[B, S, H*D]` are read as `[B, H, S, D]` and Y is written back as
 * `[B, Sq, Hq*Dv]`.
 *
 * Everything is computed in f64 (f16 inputs decoded exactly) and rounded
 * once to the output dtype. `softmax_precision` asks for at least that
 * precision in the softmax, so computing in f64 honours every value of it.
 */
import { allocData } from '../dtype.js';
import { InferContext, type EvalContext } from '../op-def.js';
import type { TensorType } from '../shape.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { readAttentionAttrs, type AttentionAttrs } from './attention-attrs.js';
import { makeBiasFiller, type BiasRowFiller } from './attention-bias.js';
import { ATTN_ALIBI_SLOPES, ATTN_KEY_POSITIONS, ATTN_RELATIVE_BIAS, ATTN_ROTARY_COS, ATTN_ROTARY_SIN, readPositionAttrs, type PositionAttrs } from './attention-position.js';
import { rotaryTables, rotateRows, type PositionBiases } from './attention-position-reference.js';
import { ATTN_K, ATTN_MASK, ATTN_NONPAD, ATTN_PAST_KEY, ATTN_PAST_VALUE, ATTN_Q, ATTN_V, inferAttentionDims } from './attention-infer.js';
import { intValues, numericValues } from './kernel-utils.js';

/** The concrete sizes of one evaluation (legend in attention.ts). */
export interface AttentionSizes {
  readonly rank3: boolean;
  readonly batch: number;
  readonly qHeads: number;
  readonly kvHeads: number;
  readonly qSeq: number;
  readonly kvSeq: number;
  readonly pastSeq: number;
  readonly totalSeq: number;
  readonly headSize: number;
  readonly vHeadSize: number;
}

/** Evaluates an `Attention` node: one tensor per output slot (undefined for omitted outputs). */
export function evaluateAttention(ctx: EvalContext): (Tensor | undefined)[] {
  const sizes = verifyConcrete(ctx);
  const attrs = readAttentionAttrs(ctx);
  const positions = readPositionAttrs(ctx);
  const q = ctx.input(ATTN_Q);
  const rotary = rotaryTables(ctx.optionalInput(ATTN_ROTARY_COS), ctx.optionalInput(ATTN_ROTARY_SIN), positions.rotaryInterleaved);
  const rotate = (value: Tensor, heads: number, size: number): ArrayLike<number> =>
    rotary ? rotateRows(numericValues(value), rotary, { rank3: sizes.rank3, batch: sizes.batch, heads, seq: sizes.qSeq, size }) : numericValues(value);
  const key = ctx.input(ATTN_K);
  const rotatedKey = rotary ? fromNumbers(key.dtype, key.shape, rotate(key, sizes.kvHeads, sizes.headSize)) : key;
  const presentKey = concatCache(ctx.optionalInput(ATTN_PAST_KEY), rotatedKey, sizes, sizes.headSize);
  const presentValue = concatCache(ctx.optionalInput(ATTN_PAST_VALUE), ctx.input(ATTN_V), sizes, sizes.vHeadSize);
  const nonpadInput = ctx.optionalInput(ATTN_NONPAD);
  const bias = makeBiasFiller(
    { ...sizes, hasPast: ctx.optionalInput(ATTN_PAST_KEY) !== undefined, ...attrs },
    ctx.optionalInput(ATTN_MASK),
    nonpadInput ? intValues(nonpadInput) : undefined,
    positionBiases(ctx, positions),
  );
  const operands = { q: rotate(q, sizes.qHeads, sizes.headSize), k: numericValues(presentKey), v: numericValues(presentValue), bias };
  const { y, qk } = runAttention(sizes, attrs, operands, ctx.wantsOutput(3));
  const { batch, qHeads, qSeq, totalSeq, vHeadSize } = sizes;
  const yShape = sizes.rank3 ? [batch, qSeq, qHeads * vHeadSize] : [batch, qHeads, qSeq, vHeadSize];
  const outputs = [
    fromNumbers(q.dtype, yShape, y),
    presentKey,
    presentValue,
    qk && fromNumbers(q.dtype, [batch, qHeads, qSeq, totalSeq], qk),
  ];
  return ctx.node.outputs.map((name, slot) => (name ? outputs[slot] : undefined));
}

/** The ALiBi and relative position biases of the node, as the bias filler reads them. */
function positionBiases(ctx: EvalContext, attrs: PositionAttrs): PositionBiases {
  const slopes = ctx.optionalInput(ATTN_ALIBI_SLOPES);
  const table = ctx.optionalInput(ATTN_RELATIVE_BIAS);
  const keys = ctx.optionalInput(ATTN_KEY_POSITIONS);
  return {
    ...(slopes ? { alibi: { slopes: numericValues(slopes), form: attrs.alibiForm } } : {}),
    ...(table ? { relative: { table: numericValues(table), maxDistance: attrs.relativeMaxDistance ?? 0 } } : {}),
    ...(keys ? { keyPositions: { values: numericValues(keys), broadcastBatch: keys.shape[0] === 1 } } : {}),
  };
}

/** Runs the full verification of inference on the concrete input types and returns the sizes. */
function verifyConcrete(ctx: EvalContext): AttentionSizes {
  const types = ctx.inputs.map((value): TensorType | undefined => value && { dtype: value.dtype, shape: value.shape });
  const dims = inferAttentionDims(new InferContext(ctx.node, ctx.def, types, [], []));
  const n = (dim: unknown): number => dim as number;
  return {
    rank3: dims.rank === 3,
    batch: n(dims.batch),
    qHeads: n(dims.qHeads),
    kvHeads: n(dims.kvHeads),
    qSeq: n(dims.qSeq),
    kvSeq: n(dims.kvSeq),
    pastSeq: n(dims.pastSeq),
    totalSeq: n(dims.totalSeq),
    headSize: n(dims.headSize),
    vHeadSize: n(dims.vHeadSize),
  };
}

/**
 * Flat offset of row (b, h, s) holding `size` contiguous elements: in a
 * `[B, H, S, size]` tensor, or in a `[B, S, H*size]` tensor when `rank3`.
 */
export function rowOffset(rank3: boolean, b: number, h: number, s: number, heads: number, seq: number, size: number): number {
  return rank3 ? ((b * seq + s) * heads + h) * size : ((b * heads + h) * seq + s) * size;
}

/** present = concat(past, current) on the sequence axis, as `[B, Hkv, T, size]`, copied bit-exactly. */
function concatCache(past: Tensor | undefined, current: Tensor, sizes: AttentionSizes, size: number): Tensor {
  const { batch, kvHeads, pastSeq, kvSeq, totalSeq, rank3 } = sizes;
  const out = allocData(current.dtype, batch * kvHeads * totalSeq * size) as Float32Array | Uint16Array;
  const source = current.data as Float32Array | Uint16Array;
  const old = past?.data as Float32Array | Uint16Array | undefined;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < kvHeads; h++) {
      const head = (b * kvHeads + h) * totalSeq * size;
      if (old) out.set(old.subarray((b * kvHeads + h) * pastSeq * size, (b * kvHeads + h + 1) * pastSeq * size), head);
      for (let s = 0; s < kvSeq; s++) {
        const from = rowOffset(rank3, b, h, s, kvHeads, kvSeq, size);
        out.set(source.subarray(from, from + size), head + (pastSeq + s) * size);
      }
    }
  }
  return { dtype: current.dtype, shape: [batch, kvHeads, totalSeq, size], data: out };
}

interface Operands {
  /** Q as given (3-D or 4-D). */
  readonly q: ArrayLike<number>;
  /** present_key, `[B, Hkv, T, D]`. */
  readonly k: ArrayLike<number>;
  /** present_value, `[B, Hkv, T, Dv]`. */
  readonly v: ArrayLike<number>;
  readonly bias: BiasRowFiller;
}

interface Scratch {
  readonly scores: Float64Array;
  readonly bias: Float64Array;
  readonly y: Float64Array;
  readonly qk: Float64Array | undefined;
}

/** Computes Y (in Q's layout) and, when wanted, qk_matmul_output `[B, Hq, Sq, T]`, in f64. */
function runAttention(sizes: AttentionSizes, attrs: AttentionAttrs, ops: Operands, wantQk: boolean): { y: Float64Array; qk?: Float64Array } {
  const { batch, qHeads, qSeq, totalSeq, vHeadSize } = sizes;
  const scratch: Scratch = {
    scores: new Float64Array(totalSeq),
    bias: new Float64Array(totalSeq),
    y: new Float64Array(batch * qHeads * qSeq * vHeadSize),
    qk: wantQk ? new Float64Array(batch * qHeads * qSeq * totalSeq) : undefined,
  };
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < qHeads; h++) {
      for (let i = 0; i < qSeq; i++) attendRow(sizes, attrs, ops, scratch, b, h, i);
    }
  }
  return { y: scratch.y, qk: scratch.qk };
}

/** One query row: scores, softcap, bias, softmax, weighted sum of values. */
function attendRow(sizes: AttentionSizes, attrs: AttentionAttrs, ops: Operands, scratch: Scratch, b: number, h: number, i: number): void {
  const { qHeads, kvHeads, qSeq, totalSeq, headSize, vHeadSize, rank3 } = sizes;
  const { scores, qk } = scratch;
  const kvHead = b * kvHeads + Math.floor(h / (qHeads / kvHeads));
  const qkAt = ((b * qHeads + h) * qSeq + i) * totalSeq;
  const scale = attrs.scale ?? 1 / Math.sqrt(headSize);
  dotRows(ops.q, rowOffset(rank3, b, h, i, qHeads, qSeq, headSize), ops.k, kvHead * totalSeq * headSize, headSize, scale, scores);
  if (qk && attrs.qkMode === 0) qk.set(scores, qkAt);
  if (attrs.softcap > 0) for (let j = 0; j < totalSeq; j++) scores[j] = attrs.softcap * Math.tanh(scores[j] / attrs.softcap);
  if (qk && attrs.qkMode === 1) qk.set(scores, qkAt);
  ops.bias(b, h, i, scratch.bias);
  for (let j = 0; j < totalSeq; j++) scores[j] = scratch.bias[j] === -Infinity ? -Infinity : scores[j] + scratch.bias[j];
  if (qk && attrs.qkMode === 2) qk.set(scores, qkAt);
  softmaxRow(scores);
  if (qk && attrs.qkMode === 3) qk.set(scores, qkAt);
  weightedSum(scores, ops.v, kvHead * totalSeq * vHeadSize, vHeadSize, scratch.y, rowOffset(rank3, b, h, i, qHeads, qSeq, vHeadSize));
}

/** out[j] = scale · ⟨q[qAt..qAt+size), k[kAt + j·size ..)⟩ for every j < out.length. */
function dotRows(q: ArrayLike<number>, qAt: number, k: ArrayLike<number>, kAt: number, size: number, scale: number, out: Float64Array): void {
  for (let j = 0; j < out.length; j++) {
    const kRow = kAt + j * size;
    let sum = 0;
    for (let d = 0; d < size; d++) sum += q[qAt + d] * k[kRow + d];
    out[j] = sum * scale;
  }
}

/** out[outAt + d] = Σ_j p[j] · v[vAt + j·size + d]; exactly 0 when p is all zeros. */
function weightedSum(p: Float64Array, v: ArrayLike<number>, vAt: number, size: number, out: Float64Array, outAt: number): void {
  for (let j = 0; j < p.length; j++) {
    const weight = p[j];
    if (weight === 0) continue;
    const vRow = vAt + j * size;
    for (let d = 0; d < size; d++) out[outAt + d] += weight * v[vRow + d];
  }
}

/**
 * Softmax of one row in place. A row whose entries are all -inf (fully
 * masked) becomes all zeros, never NaN; a NaN anywhere makes the row NaN.
 */
export function softmaxRow(row: Float64Array): void {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) {
    if (Number.isNaN(row[j])) {
      row.fill(NaN);
      return;
    }
    if (row[j] > max) max = row[j];
  }
  if (max === -Infinity) {
    row.fill(0);
    return;
  }
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    const e = Math.exp(row[j] - max);
    row[j] = e;
    sum += e;
  }
  for (let j = 0; j < row.length; j++) row[j] /= sum;
}
