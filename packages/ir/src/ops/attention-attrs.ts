/**
 * The attributes of ONNX `Attention` (opsets 23–25), read once and checked
 * for range: shared by shape inference and the reference evaluation.
 */
import type { OpContext } from '../op-def.js';

/** ONNX TensorProto data types accepted by `softmax_precision`: FLOAT, FLOAT16, DOUBLE, BFLOAT16. */
export const SOFTMAX_PRECISIONS: readonly number[] = [1, 10, 11, 16];

/** The checked attributes of one `Attention` node. */
export interface AttentionAttrs {
  /** `is_causal != 0`: mask keys after the (offset-aligned) diagonal. */
  readonly isCausal: boolean;
  /** `q_num_heads` (required for 3-D inputs). */
  readonly qNumHeads: number | undefined;
  /** `kv_num_heads` (required for 3-D inputs). */
  readonly kvNumHeads: number | undefined;
  /** `qk_matmul_output_mode`: 0 scaled QKᵀ, 1 after softcap, 2 after the bias, 3 after softmax. */
  readonly qkMode: number;
  /** `scale`, or undefined for the default 1/sqrt(head size). */
  readonly scale: number | undefined;
  /** `softcap`; 0 disables it. */
  readonly softcap: number;
  /** `softmax_precision` (a TensorProto data type), if set. */
  readonly softmaxPrecision: number | undefined;
  /** `left_window_size`; -1 means unbounded. */
  readonly leftWindow: number;
  /** `right_window_size`; -1 means unbounded. */
  readonly rightWindow: number;
}

/** Reads and range-checks the attributes of an `Attention` node; throws AttributeError. */
export function readAttentionAttrs(ctx: OpContext): AttentionAttrs {
  const isCausal = ctx.int('is_causal');
  if (isCausal !== 0 && isCausal !== 1) ctx.failAttr(`attribute 'is_causal' must be 0 or 1, got ${isCausal}`);
  const qkMode = ctx.int('qk_matmul_output_mode');
  if (qkMode < 0 || qkMode > 3) ctx.failAttr(`attribute 'qk_matmul_output_mode' must be 0, 1, 2 or 3, got ${qkMode}`);
  const scale = ctx.optionalFloat('scale');
  if (scale !== undefined && !Number.isFinite(scale)) ctx.failAttr(`attribute 'scale' must be a finite float, got ${scale}`);
  const softcap = ctx.float('softcap');
  if (!(softcap >= 0) || !Number.isFinite(softcap)) {
    ctx.failAttr(`attribute 'softcap' must be a finite float >= 0 (0 disables it), got ${softcap}`);
  }
  const softmaxPrecision = ctx.optionalInt('softmax_precision');
  if (softmaxPrecision !== undefined && !SOFTMAX_PRECISIONS.includes(softmaxPrecision)) {
    ctx.failAttr(
      `attribute 'softmax_precision' must be one of ${SOFTMAX_PRECISIONS.join(', ')} (FLOAT, FLOAT16, DOUBLE, BFLOAT16), got ${softmaxPrecision}`,
    );
  }
  return {
    isCausal: isCausal === 1,
    qNumHeads: positiveHeads(ctx, 'q_num_heads'),
    kvNumHeads: positiveHeads(ctx, 'kv_num_heads'),
    qkMode,
    scale,
    softcap,
    softmaxPrecision,
    leftWindow: windowSize(ctx, 'left_window_size'),
    rightWindow: windowSize(ctx, 'right_window_size'),
  };
}

function positiveHeads(ctx: OpContext, name: string): number | undefined {
  const heads = ctx.optionalInt(name);
  if (heads !== undefined && heads < 1) ctx.failAttr(`attribute '${name}' must be >= 1, got ${heads}`);
  return heads;
}

function windowSize(ctx: OpContext, name: string): number {
  const size = ctx.int(name);
  if (size < -1) ctx.failAttr(`attribute '${name}' must be >= -1 (-1 means unbounded), got ${size}`);
  return size;
}
