/**
 * Shape and type inference for ONNX `Attention`, with full verification.
 * Every failure is a typed error (ShapeError, DTypeError, AttributeError,
 * ArityError) that names the input and says what was expected against what
 * was found. Works on symbolic dims.
 *
 * Legend (see attention.ts): B batch, Hq query heads, Hkv key/value heads,
 * Sq query length, Skv new key/value length, P past length, T = P + Skv total
 * key length, D query/key head size, Dv value head size.
 */
import { addDims, dimsCompatible, divDimsExact, mulDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { DType } from '../dtype.js';
import { ArityError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import type { InferContext } from '../op-def.js';
import { formatShape, formatType, type TensorType } from '../shape.js';
import { readAttentionAttrs, type AttentionAttrs } from './attention-attrs.js';
import { checkPositionInputs } from './attention-position.js';
import { FLOAT_TYPES } from './kernel-utils.js';

/** Input slots of `Attention`. */
export const ATTN_Q = 0;
/** Input slot of K. */
export const ATTN_K = 1;
/** Input slot of V. */
export const ATTN_V = 2;
/** Input slot of attn_mask. */
export const ATTN_MASK = 3;
/** Input slot of past_key. */
export const ATTN_PAST_KEY = 4;
/** Input slot of past_value. */
export const ATTN_PAST_VALUE = 5;
/** Input slot of nonpad_kv_seqlen. */
export const ATTN_NONPAD = 6;

/** The (possibly symbolic) sizes of one `Attention` node, after verification. */
export interface AttentionDims {
  /** 3 for `[B, S, H*D]` inputs, 4 for `[B, H, S, D]`. */
  readonly rank: 3 | 4;
  readonly batch: Dim;
  readonly qHeads: Dim;
  readonly kvHeads: Dim;
  readonly qSeq: Dim;
  readonly kvSeq: Dim;
  /** P: the past length (0 without a cache). */
  readonly pastSeq: Dim;
  /** T = P + Skv. */
  readonly totalSeq: Dim;
  readonly headSize: Dim;
  readonly vHeadSize: Dim;
  /** The dtype of Q, K, past_key, Y, present_key and qk_matmul_output. */
  readonly dtype: DType;
  /** The dtype of V, past_value and present_value. */
  readonly vDType: DType;
  /** R, the rotary dim (0 without rotary; see attention-position.ts). */
  readonly rotaryDim: number;
}

/** Verifies an `Attention` node and returns one type per output slot (undefined for omitted outputs). */
export function inferAttention(ctx: InferContext): (TensorType | undefined)[] {
  return attentionOutputTypes(ctx, inferAttentionDims(ctx));
}

/** Verifies an `Attention` node (attributes, inputs, shapes, dtypes) and returns its sizes. */
export function inferAttentionDims(ctx: InferContext): AttentionDims {
  const attrs = readAttentionAttrs(ctx);
  const { dtype, vDType } = checkDTypes(ctx);
  const qkv = ctx.type(ATTN_Q).shape.length === 3 ? dims3d(ctx, attrs) : dims4d(ctx, attrs);
  const { qHeads, kvHeads } = qkv;
  if (typeof qHeads === 'number' && typeof kvHeads === 'number' && qHeads % kvHeads !== 0) {
    return ctx.failShape(
      `${describe(ctx, ATTN_Q)} has ${qHeads} query heads, expected a multiple of the ${kvHeads} key/value heads of ${describe(ctx, ATTN_K)}`,
      ctx.node.inputs[ATTN_Q],
    );
  }
  const sized = { ...qkv, ...pastDims(ctx, qkv), dtype, vDType };
  const dims: AttentionDims = { ...sized, rotaryDim: checkPositionInputs(ctx, sized) };
  checkMask(ctx, dims);
  checkNonpad(ctx, dims);
  return dims;
}

/** The output types for verified sizes: Y, present_key, present_value, qk_matmul_output. */
export function attentionOutputTypes(ctx: InferContext, dims: AttentionDims): (TensorType | undefined)[] {
  const { batch, qHeads, kvHeads, qSeq, totalSeq, headSize, vHeadSize } = dims;
  const y = dims.rank === 4 ? [batch, qHeads, qSeq, vHeadSize] : [batch, qSeq, mulDims(qHeads, vHeadSize)];
  const types: TensorType[] = [
    { dtype: dims.dtype, shape: y },
    { dtype: dims.dtype, shape: [batch, kvHeads, totalSeq, headSize] },
    { dtype: dims.vDType, shape: [batch, kvHeads, totalSeq, vHeadSize] },
    { dtype: dims.dtype, shape: [batch, qHeads, qSeq, totalSeq] },
  ];
  return ctx.node.outputs.map((name, slot) => (name ? types[slot] : undefined));
}

function checkDTypes(ctx: InferContext): { dtype: DType; vDType: DType } {
  const dtype = ctx.expectDType(ATTN_Q, FLOAT_TYPES);
  ctx.expectSameDType(ATTN_Q, ATTN_K);
  const vDType = ctx.expectDType(ATTN_V, FLOAT_TYPES);
  const rank = ctx.expectRank(ATTN_Q, [3, 4]).shape.length;
  for (const index of [ATTN_K, ATTN_V]) {
    const other = ctx.type(index);
    if (other.shape.length !== rank) {
      ctx.failShape(
        `${describe(ctx, index)} has rank ${other.shape.length}, expected rank ${rank} like ${describe(ctx, ATTN_Q)} (Q, K and V share a rank)`,
        ctx.node.inputs[index],
      );
    }
  }
  if (ctx.has(ATTN_PAST_KEY) !== ctx.has(ATTN_PAST_VALUE)) {
    const [given, missing] = ctx.has(ATTN_PAST_KEY) ? ['past_key', 'past_value'] : ['past_value', 'past_key'];
    throw new ArityError(`${given} is given but ${missing} is missing; expected both or neither`, nodeLocation(ctx.node));
  }
  if (ctx.has(ATTN_PAST_KEY)) ctx.expectSameDType(ATTN_K, ATTN_PAST_KEY);
  if (ctx.has(ATTN_PAST_VALUE)) ctx.expectSameDType(ATTN_V, ATTN_PAST_VALUE);
  return { dtype, vDType };
}

type QkvDims = Pick<AttentionDims, 'rank' | 'batch' | 'qHeads' | 'kvHeads' | 'qSeq' | 'kvSeq' | 'headSize' | 'vHeadSize'>;

function dims4d(ctx: InferContext, attrs: AttentionAttrs): QkvDims {
  const [batch, qHeads, qSeq, headSize] = ctx.type(ATTN_Q).shape;
  const [kBatch, kvHeads, kvSeq] = ctx.type(ATTN_K).shape;
  const [vBatch, , , vHeadSize] = ctx.type(ATTN_V).shape;
  if (attrs.qNumHeads !== undefined) expectDim(ctx, ATTN_Q, 1, attrs.qNumHeads, 'head count', "attribute 'q_num_heads'");
  if (attrs.kvNumHeads !== undefined) expectDim(ctx, ATTN_K, 1, attrs.kvNumHeads, 'head count', "attribute 'kv_num_heads'");
  expectDim(ctx, ATTN_K, 0, batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_K, 3, headSize, 'head size', 'the head size of Q');
  expectDim(ctx, ATTN_V, 0, batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_V, 1, kvHeads, 'head count', 'the head count of K');
  expectDim(ctx, ATTN_V, 2, kvSeq, 'sequence length', 'the sequence length of K');
  return {
    rank: 4,
    batch: pick(batch, kBatch, vBatch),
    qHeads: pick(qHeads, attrs.qNumHeads ?? qHeads),
    kvHeads: pick(kvHeads, attrs.kvNumHeads ?? kvHeads),
    qSeq,
    kvSeq,
    headSize,
    vHeadSize,
  };
}

function dims3d(ctx: InferContext, attrs: AttentionAttrs): QkvDims {
  const qHeads = attrs.qNumHeads;
  const kvHeads = attrs.kvNumHeads;
  if (qHeads === undefined || kvHeads === undefined) {
    return ctx.failAttr(
      `3-D inputs (${describe(ctx, ATTN_Q)}) need attributes 'q_num_heads' and 'kv_num_heads', got q_num_heads=${qHeads ?? 'unset'}, kv_num_heads=${kvHeads ?? 'unset'}`,
    );
  }
  const [batch, qSeq] = ctx.type(ATTN_Q).shape;
  const [kBatch, kvSeq] = ctx.type(ATTN_K).shape;
  const vBatch = ctx.type(ATTN_V).shape[0];
  const headSize = splitHidden(ctx, ATTN_Q, qHeads, 'q_num_heads');
  const kHeadSize = splitHidden(ctx, ATTN_K, kvHeads, 'kv_num_heads');
  const vHeadSize = splitHidden(ctx, ATTN_V, kvHeads, 'kv_num_heads');
  if (!dimsCompatible(headSize, kHeadSize)) {
    ctx.failShape(
      `${describe(ctx, ATTN_K)}: head size is ${kHeadSize} (hidden size / kv_num_heads=${kvHeads}), expected ${headSize}, the head size of ${describe(ctx, ATTN_Q)} (hidden size / q_num_heads=${qHeads})`,
      ctx.node.inputs[ATTN_K],
    );
  }
  expectDim(ctx, ATTN_K, 0, batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_V, 0, batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_V, 1, kvSeq, 'sequence length', 'the sequence length of K');
  return { rank: 3, batch: pick(batch, kBatch, vBatch), qHeads, kvHeads, qSeq, kvSeq, headSize: pick(headSize, kHeadSize), vHeadSize };
}

/** The head size of a 3-D input `[B, S, H*D]` split into `heads` heads. */
function splitHidden(ctx: InferContext, index: number, heads: number, attr: string): Dim {
  const hidden = ctx.type(index).shape[2];
  if (typeof hidden === 'number') {
    if (hidden % heads !== 0) {
      ctx.failShape(
        `${describe(ctx, index)}: hidden size (axis 2) is ${hidden}, expected a multiple of ${attr}=${heads}`,
        ctx.node.inputs[index],
      );
    }
    return hidden / heads;
  }
  return divDimsExact(hidden, heads) ?? UNKNOWN_DIM;
}

function pastDims(ctx: InferContext, qkv: QkvDims): { pastSeq: Dim; totalSeq: Dim } {
  if (!ctx.has(ATTN_PAST_KEY)) return { pastSeq: 0, totalSeq: qkv.kvSeq };
  const pastSeq = ctx.expectRank(ATTN_PAST_KEY, [4]).shape[2];
  ctx.expectRank(ATTN_PAST_VALUE, [4]);
  expectDim(ctx, ATTN_PAST_KEY, 0, qkv.batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_PAST_KEY, 1, qkv.kvHeads, 'head count', 'the key/value head count Hkv');
  expectDim(ctx, ATTN_PAST_KEY, 3, qkv.headSize, 'head size', 'the head size D of Q and K');
  expectDim(ctx, ATTN_PAST_VALUE, 0, qkv.batch, 'batch size', 'the batch size of Q');
  expectDim(ctx, ATTN_PAST_VALUE, 1, qkv.kvHeads, 'head count', 'the key/value head count Hkv');
  expectDim(ctx, ATTN_PAST_VALUE, 2, pastSeq, 'past length', 'the past length of past_key');
  expectDim(ctx, ATTN_PAST_VALUE, 3, qkv.vHeadSize, 'head size', 'the head size Dv of V');
  return { pastSeq, totalSeq: addDims(pastSeq, qkv.kvSeq) };
}

const MASK_AXES = ['batch size B', 'query head count Hq', 'query length Sq'];

function checkMask(ctx: InferContext, dims: AttentionDims): void {
  if (!ctx.has(ATTN_MASK)) return;
  const type = ctx.type(ATTN_MASK);
  const tensor = ctx.node.inputs[ATTN_MASK];
  if (type.dtype !== 'bool' && type.dtype !== dims.dtype) {
    ctx.failDType(`${describe(ctx, ATTN_MASK)} must be bool or ${dims.dtype} (the dtype of Q), got ${type.dtype}`, tensor);
  }
  const rank = type.shape.length;
  if (rank < 1 || rank > 4) ctx.failShape(`${describe(ctx, ATTN_MASK)} must have rank 1 to 4, got rank ${rank}`, tensor);
  const target = [dims.batch, dims.qHeads, dims.qSeq, dims.totalSeq];
  for (let axis = 0; axis < rank - 1; axis++) {
    const dim = type.shape[axis];
    const expected = target[4 - rank + axis];
    if (dim !== 1 && !dimsCompatible(dim, expected)) {
      ctx.failShape(
        `${describe(ctx, ATTN_MASK)}: axis ${axis} is ${dim}, expected 1 or ${expected} (the ${MASK_AXES[4 - rank + axis]}; masks broadcast right-aligned to [B, Hq, Sq, T] = ${formatShape(target)})`,
        tensor,
      );
    }
  }
  const last = type.shape[rank - 1];
  if (typeof last === 'number' && typeof dims.totalSeq === 'number' && last > dims.totalSeq) {
    ctx.failShape(
      `${describe(ctx, ATTN_MASK)}: last axis is ${last}, expected at most ${dims.totalSeq} (the total key length T = P + Skv; a shorter mask is padded with -inf)`,
      tensor,
    );
  }
}

function checkNonpad(ctx: InferContext, dims: AttentionDims): void {
  if (!ctx.has(ATTN_NONPAD)) return;
  ctx.expectDType(ATTN_NONPAD, ['i64']);
  ctx.expectRank(ATTN_NONPAD, [1]);
  expectDim(ctx, ATTN_NONPAD, 0, dims.batch, 'length', 'the batch size B of Q');
}

/** Requires axis `axis` of input `index` to be compatible with `expected`. */
function expectDim(ctx: InferContext, index: number, axis: number, expected: Dim, what: string, source: string): void {
  const actual = ctx.type(index).shape[axis];
  if (!dimsCompatible(actual, expected)) {
    ctx.failShape(`${describe(ctx, index)}: ${what} (axis ${axis}) is ${actual}, expected ${expected} (${source})`, ctx.node.inputs[index]);
  }
}

/** `Q %q f32[2, 3, 4, 8]`. */
function describe(ctx: InferContext, index: number): string {
  return `${ctx.inputPortName(index)} ${ctx.inputRef(index)} ${formatType(ctx.type(index))}`;
}

/** The most specific of several dims known to be compatible (a number if any is one). */
function pick(...dims: Dim[]): Dim {
  return dims.find((dim) => typeof dim === 'number') ?? dims.find((dim) => dim !== UNKNOWN_DIM) ?? UNKNOWN_DIM;
}
