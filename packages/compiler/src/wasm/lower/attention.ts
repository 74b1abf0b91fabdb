/**
 * Emitting the attention plan on wasm. The kernels compute in f32: f16
 * inputs are converted into f32 copies first and f16 outputs are rounded
 * back once at the end (the reference interpreter's contract for f16).
 * Present tensors are filled by strided copies; then one attention kernel
 * runs — the flash kernel, or the row kernel when the graph asks for the
 * scores or weights. Head sizes, scale, softcap, masking, windows and
 * causality are baked into the kernel; sizes and strides are arguments.
 * The wasm kernels read operands at byte offsets, so Q/K/V slices of a
 * packed projection are read in place (the plan's packed-slice layout).
 */
import { mulDims, type Dim, type StepArg } from '@ladon/ir';
import type { AttentionOperand, AttentionPlan, HeadStrides, PresentTensor } from '../../lower/plans/attention.js';
import type { PositionPlan } from '../../lower/plans/attention-positions.js';
import type { AttentionConfig } from '../kernels/attention-config.js';
import type { PositionConfig } from '../kernels/attention-positions.js';
import { attentionFlashKernel, flashScratchShapes } from '../kernels/attention-flash.js';
import { attentionSplit } from '../../lower/split.js';
import { attentionRowKernel } from '../kernels/attention-rows.js';
import type { WasmLowering } from '../lowering.js';
import { emitStridedCopy } from './copy.js';

/** Emits one Attention node, its f16 tensors computed in f32 (see WasmLowering.inF32). */
export function emitAttention(lowering: WasmLowering, plan: AttentionPlan): void {
  lowering.inF32(plan.node, () => emitAttentionF32(lowering, plan));
}

/** An operand's pointer: its own buffer, or the packed tensor's at the slice's byte offset. */
function pointer(lowering: WasmLowering, operand: AttentionOperand, input: string): StepArg {
  const buffer = lowering.buffer(operand.value);
  return operand.value === input ? { buffer } : { buffer, byteOffset: mulDims(operand.offset, 4) };
}

/** K or V as the kernel reads it: the input (or its packed slice), or the present tensor after the copies that fill it. */
function keysOrValues(lowering: WasmLowering, plan: AttentionPlan, operand: AttentionOperand, present: PresentTensor | undefined, input: string): StepArg {
  if (!present) return pointer(lowering, operand, input);
  const current = present.copies[present.copies.length - 1];
  const currentSource = lowering.buffer(current.source);
  const target = present.value ? lowering.buffer(present.value) : lowering.program.scratch(`${input}_present`, 'f32', present.shape);
  for (const copy of present.copies) {
    const source = copy === current ? currentSource : lowering.buffer(copy.source);
    emitStridedCopy(lowering, plan.node, { buffer: source }, target, copy.layout, 4);
  }
  return { buffer: target };
}

function positionConfig({ rotary, alibi, keyPositions, relative }: PositionPlan): PositionConfig {
  return {
    ...(rotary ? { rotary: { half: rotary.half, interleaved: rotary.interleaved } } : {}),
    ...(alibi ? { alibi: alibi.form } : {}),
    ...(keyPositions ? { keyPositions: true } : {}),
    ...(relative ? { relativeMaxDistance: relative.maxDistance } : {}),
  };
}

/** The position tables' pointers and strides, by the kernels' parameter names (attention-positions.ts). */
function positionArgs(lowering: WasmLowering, { rotary, alibi, keyPositions, relative }: PositionPlan): Record<string, StepArg> {
  const buffer = (value: string): StepArg => ({ buffer: lowering.buffer(value) });
  return {
    ...(rotary ? { rotaryCos: buffer(rotary.cos), rotarySin: buffer(rotary.sin), rotaryStride: { dim: rotary.batchStride } } : {}),
    ...(alibi ? { alibiSlopes: buffer(alibi.slopes) } : {}),
    ...(keyPositions ? { keyPositions: buffer(keyPositions.value), keyPositionsStride: { dim: keyPositions.batchStride } } : {}),
    ...(relative ? { relativeBias: buffer(relative.table) } : {}),
  };
}

function strideArgs(prefix: string, [batch, head, row]: HeadStrides): Record<string, StepArg> {
  return { [`${prefix}sb`]: { dim: batch }, [`${prefix}sh`]: { dim: head }, [`${prefix}ss`]: { dim: row } };
}

function emitAttentionF32(lowering: WasmLowering, plan: AttentionPlan): void {
  const { node } = plan;
  const [q, k, v] = node.inputs;
  const keys = keysOrValues(lowering, plan, plan.k, plan.presentKey, k);
  const values = keysOrValues(lowering, plan, plan.v, plan.presentValue, v);
  const config: AttentionConfig = {
    headSize: plan.headSize,
    valueHeadSize: plan.vHeadSize,
    scale: plan.scale,
    softcap: plan.softcap,
    causal: plan.causal,
    mask: plan.mask?.kind ?? 'none',
    leftWindow: plan.leftWindow,
    rightWindow: plan.rightWindow,
    nonpad: Boolean(plan.nonpad),
    past: plan.hasPast,
    positions: positionConfig(plan.positions),
  };
  const query = pointer(lowering, plan.q, q);
  const mask = plan.mask;
  const args: Record<string, StepArg> = {
    q: query,
    k: keys,
    v: values,
    mask: mask ? { buffer: lowering.buffer(mask.value) } : { int: 0 },
    out: { buffer: lowering.buffer(plan.y.value) },
    nonpadPtr: plan.nonpad ? { buffer: lowering.buffer(plan.nonpad) } : { int: 0 },
    B: { dim: plan.batch },
    Hq: { dim: plan.qHeads },
    Hkv: { dim: plan.kvHeads },
    Sq: { dim: plan.qSeq },
    Skv: { dim: plan.totalSeq },
    pastLength: { dim: plan.pastSeq },
    ...strideArgs('q', plan.q.strides),
    ...strideArgs('k', plan.k.strides),
    ...strideArgs('v', plan.v.strides),
    ...strideArgs('o', plan.y.strides),
    msb: mask ? { dim: mask.strides[0] } : { int: 0 },
    msh: mask ? { dim: mask.strides[1] } : { int: 0 },
    msq: mask ? { dim: mask.strides[2] } : { int: 0 },
    maskWidth: mask ? { dim: mask.width } : { int: 0 },
    ...positionArgs(lowering, plan.positions),
  };
  if (plan.scores) {
    const rowScratch = lowering.program.scratch('attention_row', 'f32', [plan.totalSeq]);
    const qkOut = { buffer: lowering.buffer(plan.scores.value) };
    const rotaryScratch: Record<string, StepArg> = plan.positions.rotary ? { rotaryScratch: { buffer: lowering.program.scratch('attention_rotary', 'f32', [2 * plan.headSize]) } } : {};
    lowering.call(attentionRowKernel(config, plan.scores.mode), node, { ...args, qkOut, rowScratch: { buffer: rowScratch }, ...rotaryScratch });
    return;
  }
  // One copy of each scratch buffer per thread: the kernel is split over query tiles (lower/split.ts).
  const [kt, qRows, sRows, oRows] = flashScratchShapes(config, plan.totalSeq);
  const scratch = (name: string, dims: readonly Dim[]): StepArg => ({ buffer: lowering.program.scratch(name, 'f32', dims, true) });
  lowering.call(
    attentionFlashKernel(config),
    node,
    { ...args, ktScratch: scratch('attention_kt', kt), qScratch: scratch('attention_q', qRows), sScratch: scratch('attention_s', sRows), oScratch: scratch('attention_o', oRows) },
    attentionSplit(plan),
  );
}
