/**
 * Emitting the attention plan with the fused WGSL attention kernel, which
 * is specialised to the head sizes, element types, mask kind, nonpad and
 * the scores mode; every size, stride, scale, softcap, causal flag, window
 * and the past length is a uniform. Present tensors are filled first by
 * the strided copy kernel (a scratch present tensor when it is not an
 * output).
 */
import type { Dim } from '@ladon/ir';
import type { AttentionPlan, HeadStrides, PresentTensor } from '../../lower/plans/attention.js';
import type { PositionPlan } from '../../lower/plans/attention-positions.js';
import { deviceElement } from '../elements.js';
import { attentionKernel, BLOCK_ROWS, blockKeys } from '../kernels/attention.js';
import type { PositionVariant } from '../kernels/attention-positions.js';
import type { AttentionVariant } from '../kernels/attention-variant.js';
import { unsupported, type WgslLowering } from '../lowering.js';
import { emitStridedCopy } from './copy.js';

function variantOf(lowering: WgslLowering, plan: AttentionPlan): AttentionVariant {
  const variant: AttentionVariant = {
    headSize: plan.headSize,
    vHeadSize: plan.vHeadSize,
    element: deviceElement(plan.dtype),
    vElement: deviceElement(plan.vDType),
    mask: plan.mask?.kind ?? 'none',
    nonpad: Boolean(plan.nonpad),
    ...(plan.scores ? { scores: plan.scores.mode as 0 | 1 | 2 | 3 } : {}),
    ...positionVariant(plan.positions),
  };
  if (blockKeys(variant) === 0) throw unsupported(plan.node, `head sizes D=${plan.headSize}, Dv=${plan.vHeadSize} are too large for one tile of workgroup memory`);
  return variant;
}

function positionVariant({ rotary, alibi, keyPositions, relative }: PositionPlan): PositionVariant {
  return {
    ...(rotary ? { rotary: { half: rotary.half, interleaved: rotary.interleaved } } : {}),
    ...(alibi ? { alibi: alibi.form } : {}),
    ...(keyPositions ? { keyPositions: true } : {}),
    ...(relative ? { relative: true } : {}),
  };
}

/** The position tensors the kernel reads (buffers) and their sizes (uniforms). */
function positionArgs(lowering: WgslLowering, { rotary, alibi, keyPositions, relative }: PositionPlan): { buffers: Record<string, number>; uniforms: Record<string, Dim> } {
  const buffers: Record<string, number> = {};
  const uniforms: Record<string, Dim> = {};
  if (rotary) {
    Object.assign(buffers, { rotary_cos: lowering.buffer(rotary.cos), rotary_sin: lowering.buffer(rotary.sin) });
    uniforms.rotary_stride_b = rotary.batchStride;
  }
  if (alibi) buffers.alibi_slopes = lowering.buffer(alibi.slopes);
  if (keyPositions) {
    buffers.key_positions = lowering.buffer(keyPositions.value);
    uniforms.key_positions_stride_b = keyPositions.batchStride;
  }
  if (relative) {
    buffers.relative_bias = lowering.buffer(relative.table);
    uniforms.relative_max_distance = relative.maxDistance;
  }
  return { buffers, uniforms };
}

/** The buffer the kernel reads a present tensor from, after the copies that fill it. */
function fillPresent(lowering: WgslLowering, plan: AttentionPlan, present: PresentTensor, which: 'key' | 'value'): number {
  const target = present.value ? lowering.buffer(present.value) : lowering.program.scratch(`${plan.y.value}_present_${which}`, present.dtype, present.shape);
  for (const copy of present.copies) emitStridedCopy(lowering, plan.node, present.dtype, lowering.buffer(copy.source), target, copy.layout);
  return target;
}

function strides(prefix: string, [batch, head, row]: HeadStrides): Record<string, Dim> {
  return { [`${prefix}_stride_b`]: batch, [`${prefix}_stride_h`]: head, [`${prefix}_stride_s`]: row };
}

/** Emits one Attention node. */
export function emitAttention(lowering: WgslLowering, plan: AttentionPlan): void {
  const variant = variantOf(lowering, plan);
  const k = plan.presentKey ? fillPresent(lowering, plan, plan.presentKey, 'key') : lowering.buffer(plan.k.value);
  const v = plan.presentValue ? fillPresent(lowering, plan, plan.presentValue, 'value') : lowering.buffer(plan.v.value);
  const buffers: Record<string, number> = { q: lowering.buffer(plan.q.value), k, v, y: lowering.buffer(plan.y.value) };
  if (plan.mask) buffers.mask = lowering.buffer(plan.mask.value);
  if (plan.nonpad) buffers.nonpad = lowering.buffer(plan.nonpad);
  if (plan.scores) buffers.qk = lowering.buffer(plan.scores.value);
  const positions = positionArgs(lowering, plan.positions);
  Object.assign(buffers, positions.buffers);
  const mask = plan.mask;
  const uniforms: Record<string, Dim> = {
    q_seq: plan.qSeq,
    total_seq: plan.totalSeq,
    q_heads: plan.qHeads,
    kv_heads: plan.kvHeads,
    ...strides('q', plan.q.strides),
    ...strides('k', plan.k.strides),
    ...strides('v', plan.v.strides),
    ...strides('y', plan.y.strides),
    ...(mask ? { mask_stride_b: mask.strides[0], mask_stride_h: mask.strides[1], mask_stride_s: mask.strides[2], mask_width: mask.width } : {}),
    scale: plan.scale,
    softcap: plan.softcap,
    is_causal: plan.causal ? 1 : 0,
    left_window: plan.leftWindow,
    right_window: plan.rightWindow,
    past_seq: plan.pastSeq,
    has_past: plan.hasPast ? 1 : 0,
    ...positions.uniforms,
  };
  lowering.call(attentionKernel(variant), plan.node, { buffers, uniforms }, { items: [plan.qSeq, plan.qHeads, plan.batch], perWorkgroup: [BLOCK_ROWS, 1, 1] });
}
