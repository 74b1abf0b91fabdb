/**
 * Lowering the IR Attention op (ONNX Attention-23/24/25) to wasm steps:
 * with a KV cache, copies of past and new K/V into the present buffers; then
 * one attention kernel — the flash kernel, or the row kernel when the graph
 * asks for the scores/weights. Shapes stay symbolic: sizes and strides are
 * step arguments; head sizes, scale, masking and causality are baked in.
 */
import { addDims, mulDims, productOfDims, type Dim, type StepArg } from '@ladon/ir';
import type { AttentionConfig, MaskKind } from '../kernels/attention-config.js';
import { attentionFlashKernel, FLASH_BLOCK, FLASH_ROWS } from '../kernels/attention-flash.js';
import { attentionRowKernel } from '../kernels/attention-rows.js';
import { copyStrided4 } from '../kernels/copy-strided.js';
import { f16ToF32, f32ToF16 } from '../kernels/convert-f16.js';
import { addStep, staticDim, type LoweringContext } from '../lowering-context.js';
import { packedSliceOf } from './packed-slices.js';

/** The sizes and element strides of one attention node. */
interface AttentionShape {
  readonly batch: Dim;
  readonly qHeads: Dim;
  readonly kvHeads: Dim;
  readonly queryLength: Dim;
  readonly newKeys: Dim;
  readonly headSize: number;
  readonly valueHeadSize: number;
  readonly rank: 3 | 4;
}

type Strides = readonly [Dim, Dim, Dim];

/** The lowering context plus f32 copies standing in for f16 tensors. */
interface AttentionContext extends LoweringContext {
  readonly f32Copies: ReadonlyMap<string, number>;
}

/** The buffer the kernels use for `value`: its f32 copy when it is f16, else its own. */
function buffer(ctx: AttentionContext, value: string): number {
  return ctx.f32Copies.get(value) ?? ctx.program.buffer(value);
}

function bufferArg(ctx: AttentionContext, value: string): StepArg {
  return { buffer: buffer(ctx, value) };
}

/**
 * Lowers one Attention node. The kernels compute in f32: f16 inputs are
 * converted into f32 copies first, and f16 outputs are rounded back once at
 * the end (the reference interpreter's contract for f16).
 */
export function lowerAttention(ctx: LoweringContext): void {
  const { node, graph } = ctx;
  const isHalf = (value: string): boolean => Boolean(value) && graph.typeOf(value).dtype === 'f16';
  const halfInputs = node.inputs.filter(isHalf);
  const halfOutputs = node.outputs.filter(isHalf);
  const copies = new Map<string, number>();
  const count = (value: string): StepArg => ({ dim: productOfDims(graph.typeOf(value).shape) });
  for (const value of halfInputs) {
    copies.set(value, ctx.program.scratch(`${value}_f32`, 'f32', graph.typeOf(value).shape));
    addStep(ctx, ctx.kernels.request(f16ToF32), [{ buffer: ctx.program.buffer(value) }, { buffer: copies.get(value)! }, count(value)]);
  }
  for (const value of halfOutputs) copies.set(value, ctx.program.scratch(`${value}_f32`, 'f32', graph.typeOf(value).shape));
  lowerAttentionF32({ ...ctx, f32Copies: copies });
  for (const value of halfOutputs) addStep(ctx, ctx.kernels.request(f32ToF16), [{ buffer: copies.get(value)! }, { buffer: ctx.program.buffer(value) }, count(value)]);
}

function lowerAttentionF32(ctx: AttentionContext): void {
  const { node, graph } = ctx;
  const [q, k, v, mask = '', pastKey = '', pastValue = '', nonpad = ''] = node.inputs;
  const [y, presentKey = '', presentValue = '', qk = ''] = node.outputs;
  const shape = attentionShape(ctx, q, k, v);
  const past = pastKey ? graph.typeOf(pastKey).shape[2] : undefined;
  const totalKeys = past === undefined ? shape.newKeys : addDims(past, shape.newKeys);
  const keys = keyValueOperand(ctx, shape, k, pastKey, presentKey, shape.headSize, totalKeys);
  const values = keyValueOperand(ctx, shape, v, pastValue, presentValue, shape.valueHeadSize, totalKeys);
  const config = attentionConfig(ctx, shape, mask, past !== undefined, Boolean(nonpad));
  const qkMode = qk ? ((node.attrs.qk_matmul_output_mode as number | undefined) ?? 0) : -1;
  const query = operand(ctx, q, layoutStrides(shape, shape.qHeads, shape.queryLength, shape.headSize));
  const args: StepArg[] = [
    query.pointer,
    keys.pointer,
    values.pointer,
    mask ? bufferArg(ctx, mask) : { int: 0 },
    bufferArg(ctx, y),
    nonpad ? bufferArg(ctx, nonpad) : { int: 0 },
    ...[shape.batch, shape.qHeads, shape.kvHeads, shape.queryLength, totalKeys, past ?? 0].map((dim) => ({ dim })),
    ...stridesArgs(query.strides),
    ...stridesArgs(keys.strides),
    ...stridesArgs(values.strides),
    ...stridesArgs(layoutStrides(shape, shape.qHeads, shape.queryLength, shape.valueHeadSize)),
    ...maskArgs(ctx, mask),
  ];
  if (qkMode >= 0) {
    const rowScratch = ctx.program.scratch('attention_row', 'f32', [totalKeys]);
    addStep(ctx, ctx.kernels.request(attentionRowKernel(config, qkMode)), [...args, bufferArg(ctx, qk), { buffer: rowScratch }]);
    return;
  }
  const scratch = [
    ctx.program.scratch('attention_kt', 'f32', [shape.headSize, addDims(totalKeys, FLASH_BLOCK)]),
    ctx.program.scratch('attention_q', 'f32', [FLASH_ROWS * shape.headSize]),
    ctx.program.scratch('attention_s', 'f32', [FLASH_ROWS * FLASH_BLOCK]),
    ctx.program.scratch('attention_o', 'f32', [FLASH_ROWS * shape.valueHeadSize]),
  ];
  addStep(ctx, ctx.kernels.request(attentionFlashKernel(config)), [...args, ...scratch.map((buffer) => ({ buffer }))]);
}

function attentionShape(ctx: AttentionContext, q: string, k: string, v: string): AttentionShape {
  const { graph, node } = ctx;
  const [qs, ks, vs] = [q, k, v].map((value) => graph.typeOf(value).shape);
  if (qs.length === 4) {
    return {
      batch: qs[0], qHeads: qs[1], kvHeads: ks[1], queryLength: qs[2], newKeys: ks[2],
      headSize: staticDim(ctx, qs[3], 'the head size'), valueHeadSize: staticDim(ctx, vs[3], 'the value head size'), rank: 4,
    };
  }
  const qHeads = node.attrs.q_num_heads as number;
  const kvHeads = node.attrs.kv_num_heads as number;
  return {
    batch: qs[0], qHeads, kvHeads, queryLength: qs[1], newKeys: ks[1],
    headSize: staticDim(ctx, qs[2], 'the hidden size') / qHeads, valueHeadSize: staticDim(ctx, vs[2], 'the value hidden size') / kvHeads, rank: 3,
  };
}

/** Element strides (batch, head, row) of a [B, H, S, D] (4-D) or [B, S, H·D] (3-D) tensor. */
function layoutStrides(shape: AttentionShape, heads: Dim, length: Dim, size: number): Strides {
  return shape.rank === 4
    ? [mulDims(mulDims(heads, length), size), mulDims(length, size), size]
    : [mulDims(mulDims(length, heads), size), size, mulDims(heads, size)];
}

/**
 * Q, K or V as the kernel reads it: its own buffer, or — when it is a slice
 * of a packed projection — the packed buffer at the slice's offset, rows
 * `rowWidth` apart (3-D layout).
 */
function operand(ctx: AttentionContext, value: string, strides: Strides): { pointer: StepArg; strides: Strides } {
  const slice = ctx.f32Copies.has(value) ? undefined : packedSliceOf(ctx.graph, value);
  if (!slice) return { pointer: bufferArg(ctx, value), strides };
  const length = ctx.graph.typeOf(value).shape[1];
  return {
    pointer: { buffer: ctx.program.buffer(slice.packed), byteOffset: slice.offset * 4 },
    strides: [mulDims(length, slice.rowWidth), strides[1], slice.rowWidth],
  };
}

function stridesArgs(strides: Strides): StepArg[] {
  return strides.map((dim) => ({ dim }));
}

/**
 * K or V as the kernel reads it: the input itself, or — with a KV cache —
 * the present buffer [B, Hkv, P + S, D] filled with past then new (a
 * scratch buffer's lifetime extends to its last use).
 */
function keyValueOperand(
  ctx: AttentionContext,
  shape: AttentionShape,
  input: string,
  pastInput: string,
  presentOutput: string,
  size: number,
  totalKeys: Dim,
): { pointer: StepArg; strides: Strides } {
  const direct = operand(ctx, input, layoutStrides(shape, shape.kvHeads, shape.newKeys, size));
  if (!pastInput && !presentOutput) return direct;
  const inputStrides = direct.strides;
  const present = presentOutput ? buffer(ctx, presentOutput) : ctx.program.scratch(`${input}_present`, 'f32', [shape.batch, shape.kvHeads, totalKeys, size]);
  const presentStrides: Strides = [mulDims(mulDims(shape.kvHeads, totalKeys), size), mulDims(totalKeys, size), size];
  const copy = ctx.kernels.request(copyStrided4);
  const past = pastInput ? ctx.graph.typeOf(pastInput).shape[2] : 0;
  if (pastInput) {
    const pastStrides: Strides = [mulDims(mulDims(shape.kvHeads, past), size), mulDims(past, size), size];
    addStep(ctx, copy, [bufferArg(ctx, pastInput), { buffer: present }, { int: 0 }, ...[shape.batch, shape.kvHeads, past, size].map((dim) => ({ dim })), ...stridesArgs(pastStrides), ...stridesArgs(presentStrides)]);
  }
  addStep(ctx, copy, [direct.pointer, { buffer: present }, { dim: mulDims(past, size) }, ...[shape.batch, shape.kvHeads, shape.newKeys, size].map((dim) => ({ dim })), ...stridesArgs(inputStrides), ...stridesArgs(presentStrides)]);
  return { pointer: { buffer: present }, strides: presentStrides };
}

function attentionConfig(ctx: AttentionContext, shape: AttentionShape, mask: string, past: boolean, nonpad: boolean): AttentionConfig {
  const attrs = ctx.node.attrs;
  const maskKind: MaskKind = !mask ? 'none' : ctx.graph.typeOf(mask).dtype === 'bool' ? 'bool' : 'float';
  return {
    headSize: shape.headSize,
    valueHeadSize: shape.valueHeadSize,
    scale: (attrs.scale as number | undefined) ?? 1 / Math.sqrt(shape.headSize),
    softcap: (attrs.softcap as number | undefined) ?? 0,
    causal: attrs.is_causal === 1,
    mask: maskKind,
    leftWindow: (attrs.left_window_size as number | undefined) ?? -1,
    rightWindow: (attrs.right_window_size as number | undefined) ?? -1,
    nonpad,
    past,
  };
}

/** Mask strides (batch, head, row) and width, right-aligning the mask to [B, Hq, Sq, W]. */
function maskArgs(ctx: AttentionContext, mask: string): StepArg[] {
  if (!mask) return [{ int: 0 }, { int: 0 }, { int: 0 }, { int: 0 }];
  const shape = ctx.graph.typeOf(mask).shape;
  const padded: Dim[] = [...new Array<Dim>(4 - shape.length).fill(1), ...shape];
  const strides: Dim[] = [];
  let stride: Dim = 1;
  for (let axis = 3; axis >= 0; axis--) {
    strides[axis] = padded[axis] === 1 ? 0 : stride;
    stride = mulDims(stride, padded[axis]);
  }
  return [{ dim: strides[0] }, { dim: strides[1] }, { dim: strides[2] }, { dim: padded[3] }];
}
