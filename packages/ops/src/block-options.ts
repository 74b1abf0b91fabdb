/**
 * Options and input checks shared by the `MultiHeadAttention` module and
 * the functional `multiHeadAttention()`. Legend: batch, seq (query length),
 * keys (key/value length), dModel (model width), numHeads, kvHeads.
 */
import { AttributeError, ShapeError, type Tensor } from '@ladon/ir';
import type { AttentionMask } from './attention.js';
import { expectHeadsDivide } from './attention-inputs.js';
import { blockMaskDims, type BlockGraphSpec } from './block-graph.js';
import { blockPositionFeeds, blockPositionSpec, type BlockPositionOptions, type BlockPositions } from './block-positions.js';
import { checkMask, declaredMaskShape } from './mask.js';
import { expectDType, expectFiniteOption, expectPositiveInteger, expectShape, expectTensor } from './validate.js';
import type { BlockDims } from './weights.js';

/** The LayerNorm option: on/off, or on with an epsilon (default 1e-5). */
export type LayerNormOption = boolean | { readonly epsilon?: number };

/** The architecture options of the block (positions: block-positions.ts). */
export interface BlockArchitecture extends BlockPositionOptions {
  /** Query heads; must divide dModel. */
  readonly numHeads: number;
  /** Key/value heads (grouped-query attention); must divide numHeads. Default numHeads. */
  readonly kvHeads?: number;
  /** Add the block's input x to the output projection (y = out(attn) + x). Default false. */
  readonly residual?: boolean;
  /** Apply LayerNorm last (after the residual, as in a post-LN transformer). Default false. */
  readonly layerNorm?: LayerNormOption;
}

/** Per-call options of the block. */
export interface BlockCallOptions {
  /** Keys and values come from this [batch, keys, dModel] tensor (cross-attention). Default: x (self-attention). */
  readonly kv?: Tensor<'f32'>;
  /**
   * A mask broadcast right-aligned to [batch, numHeads, seq, keys] (rank 2 to 4;
   * bool: true = attend, or f32: added to the scores). A key-padding mask is [batch, 1, 1, keys].
   */
  readonly mask?: AttentionMask;
  /** Each query attends only keys at or before its position. */
  readonly causal?: boolean;
}

const DEFAULT_EPSILON = 1e-5;

/** Checks dModel and the head counts: positive integers, numHeads | dModel, kvHeads | numHeads. */
export function checkBlockDims(op: string, dModel: number, architecture: BlockArchitecture): BlockDims {
  expectPositiveInteger(op, 'dModel', dModel);
  expectPositiveInteger(op, 'numHeads', architecture.numHeads);
  const { numHeads } = architecture;
  if (dModel % numHeads !== 0) {
    throw new ShapeError(`${op}: numHeads = ${numHeads} must divide dModel = ${dModel} (each head gets dModel / numHeads features)`, { tensor: 'numHeads' });
  }
  const kvHeads = architecture.kvHeads ?? numHeads;
  expectPositiveInteger(op, 'kvHeads', kvHeads);
  expectHeadsDivide(op, numHeads, kvHeads);
  return { dModel, numHeads, kvHeads, headSize: dModel / numHeads };
}

/** The LayerNorm epsilon an option asks for, or undefined for no LayerNorm. */
export function layerNormEpsilon(op: string, option: LayerNormOption | undefined): number | undefined {
  if (option === undefined || option === false) return undefined;
  const epsilon = option === true ? DEFAULT_EPSILON : (option.epsilon ?? DEFAULT_EPSILON);
  expectFiniteOption(op, 'layerNorm.epsilon', epsilon, 0);
  return epsilon;
}

/** Checks that an option is a boolean when given. */
export function expectBooleanOption(op: string, name: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  throw new AttributeError(`${op}: ${name} must be a boolean, got ${String(value)}`);
}

/** The sizes of one call. */
export interface BlockCallSizes {
  readonly batch: number;
  readonly queries: number;
  readonly keys: number;
}

/** Checks x [batch, seq, dModel], kv [batch, keys, dModel] and the mask; returns the call's sizes. */
export function checkBlockInputs(op: string, dims: BlockDims, x: unknown, call: BlockCallOptions): BlockCallSizes {
  expectTensor(op, 'x', x);
  expectDType(op, 'x', x, ['f32'], ' (the block computes in f32)');
  expectShape(op, 'x', ['batch', 'seq', 'dModel'], [undefined, undefined, dims.dModel], x);
  const [batch, queries] = x.shape;
  let keys = queries;
  if (call.kv !== undefined) {
    expectTensor(op, 'kv', call.kv);
    expectDType(op, 'kv', call.kv, ['f32'], ' like x');
    expectShape(op, 'kv', ['batch', 'keys', 'dModel'], [batch, undefined, dims.dModel], call.kv);
    keys = call.kv.shape[1];
  }
  expectBooleanOption(op, 'causal', call.causal);
  if (call.mask !== undefined) checkMask(op, 'mask', call.mask, { batch, heads: dims.numHeads, queries, keys }, 'f32');
  return { batch, queries, keys };
}

/** The graph spec of one call (no KV cache). */
export function blockSpec(dims: BlockDims, residual: boolean, epsilon: number | undefined, call: BlockCallOptions, positions: BlockPositions = {}, op = 'MultiHeadAttention'): BlockGraphSpec {
  const crossAttention = call.kv !== undefined;
  const { mask } = call;
  const positionSpec = blockPositionSpec(op, positions, crossAttention);
  return {
    ...(positionSpec ? { positions: positionSpec } : {}),
    dModel: dims.dModel,
    numHeads: dims.numHeads,
    kvHeads: dims.kvHeads,
    headSize: dims.headSize,
    residual,
    layerNormEpsilon: epsilon,
    causal: call.causal ?? false,
    crossAttention,
    ...(mask ? { mask: { dtype: mask.dtype, shape: declaredMaskShape(mask, blockMaskDims(dims.numHeads, crossAttention)) } } : {}),
    withPast: false,
    returnPresent: false,
  };
}

/** The feeds of one call: x, kv and mask when given, and the position tables (from position `start`). */
export function blockFeeds(x: Tensor, call: BlockCallOptions, positions: BlockPositions = {}, start = 0): Record<string, Tensor> {
  return { x, ...(call.kv ? { kv: call.kv } : {}), ...(call.mask ? { mask: call.mask } : {}), ...blockPositionFeeds(positions, x.shape[1], start) };
}
