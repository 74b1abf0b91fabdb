/**
 * Lowering the fused `Attention` op (ONNX 23-25 semantics, see
 * @ladon/ir ops/attention.ts; legend there: B, Hq, Hkv, Sq, Skv, P, T, D, Dv).
 *
 * With a KV cache (past_key/past_value) or when present_key/present_value
 * are outputs, the present tensors [B, Hkv, T, D] are built first by two
 * strided copies each (past into keys [0, P), the new K into [P, T)); the
 * kernel then reads keys and values from them. Otherwise it reads K and V
 * in place, 3-D [B, S, H·D] or 4-D [B, H, S, D] alike, through strides.
 */
import { addDims, mulDims, UNKNOWN_DIM, type Dim, type DType, type Node } from '@ladon/ir';
import { contiguousStrides, deviceElement, padLeft } from '../elements.js';
import { attentionKernel, BLOCK_ROWS, blockKeys, type AttentionVariant } from '../kernels/attention-kernel.js';
import { unsupported, type WgslLowering } from '../lowering.js';
import { emitCopy } from './copy-ops.js';

/** Strides of one operand along (batch, head, sequence), in elements. */
type HeadStrides = readonly [Dim, Dim, Dim];

/** The sizes of one Attention node. */
interface AttentionSizes {
  readonly rank3: boolean;
  readonly batch: Dim;
  readonly qHeads: Dim;
  readonly kvHeads: Dim;
  readonly qSeq: Dim;
  readonly kvSeq: Dim;
  readonly pastSeq: Dim;
  readonly totalSeq: Dim;
  readonly headSize: number;
  readonly vHeadSize: number;
}

/** Strides of a [B, S, H·size] (rank 3) or [B, H, S, size] tensor along (b, h, s). */
function headStrides(rank3: boolean, heads: Dim, seq: Dim, size: number): HeadStrides {
  return rank3 ? [mulDims(mulDims(seq, heads), size), size, mulDims(heads, size)] : [mulDims(mulDims(heads, seq), size), mulDims(seq, size), size];
}

function staticSize(node: Node, dim: Dim, what: string): number {
  if (typeof dim !== 'number') throw unsupported(node, `the ${what} must be static to specialise the attention kernel, got ${dim}`);
  return dim;
}

function attentionSizes(lowering: WgslLowering, node: Node): AttentionSizes {
  const attrs = lowering.attrs(node);
  const shape = (slot: number) => lowering.graph.typeOf(node.inputs[slot]).shape;
  const q = shape(0);
  const k = shape(1);
  const v = shape(2);
  const rank3 = q.length === 3;
  const qHeads = rank3 ? attrs.int('q_num_heads') : q[1];
  const kvHeads = rank3 ? attrs.int('kv_num_heads') : k[1];
  const headSize = staticSize(node, rank3 ? divide(q[2], qHeads) : q[3], 'query head size D');
  const vHeadSize = staticSize(node, rank3 ? divide(v[2], kvHeads) : v[3], 'value head size Dv');
  const kvSeq = rank3 ? k[1] : k[2];
  const pastSeq = node.inputs[4] ? shape(4)[2] : 0;
  return { rank3, batch: q[0], qHeads, kvHeads, qSeq: rank3 ? q[1] : q[2], kvSeq, pastSeq, totalSeq: addDims(pastSeq, kvSeq), headSize, vHeadSize };
}

function divide(hidden: Dim, heads: Dim): Dim {
  return typeof hidden === 'number' && typeof heads === 'number' ? hidden / heads : UNKNOWN_DIM;
}

/**
 * The key or value tensor the kernel reads: the present tensor (built here
 * from past and new) when there is a cache or present is an output, else
 * the input itself.
 */
function keysOrValues(lowering: WgslLowering, node: Node, sizes: AttentionSizes, which: 'key' | 'value'): { buffer: number; strides: HeadStrides } {
  const [inputSlot, pastSlot, outputSlot] = which === 'key' ? [1, 4, 1] : [2, 5, 2];
  const size = which === 'key' ? sizes.headSize : sizes.vHeadSize;
  const input = node.inputs[inputSlot];
  const inputStrides = headStrides(sizes.rank3, sizes.kvHeads, sizes.kvSeq, size);
  const past = node.inputs[pastSlot];
  const presentName = node.outputs[outputSlot];
  if (!past && !presentName) return { buffer: lowering.buffer(input), strides: inputStrides };
  const dtype: DType = lowering.graph.typeOf(input).dtype;
  const shape = [sizes.batch, sizes.kvHeads, sizes.totalSeq, size];
  const present = presentName ? lowering.buffer(presentName) : lowering.builder.scratch(`${node.outputs[0]}_present_${which}`, dtype, shape);
  const presentStrides = headStrides(false, sizes.kvHeads, sizes.totalSeq, size);
  const space = [sizes.batch, sizes.kvHeads, sizes.pastSeq, size];
  const dstStrides = [...presentStrides, 1];
  if (past) emitCopy(lowering, node, { dtype, src: lowering.buffer(past), dst: present, space, srcStrides: contiguousStrides(space), dstStrides });
  const newSpace = [sizes.batch, sizes.kvHeads, sizes.kvSeq, size];
  const dstOffset = mulDims(sizes.pastSeq, size);
  emitCopy(lowering, node, { dtype, src: lowering.buffer(input), dst: present, space: newSpace, srcStrides: [...inputStrides, 1], dstStrides, dstOffset });
  return { buffer: present, strides: presentStrides };
}

/** Mask strides along (b, h, i) right-aligned to [B, Hq, Sq, T] (0 on broadcast axes) and its width. */
function maskLayout(lowering: WgslLowering, node: Node): Record<string, Dim> {
  const shape = padLeft(lowering.graph.typeOf(node.inputs[3]).shape, 4, 1, `attn_mask of ${node.outputs[0]}`);
  const strides = contiguousStrides(shape).map((stride, axis) => (shape[axis] === 1 ? 0 : stride));
  return { mask_stride_b: strides[0], mask_stride_h: strides[1], mask_stride_s: strides[2], mask_width: shape[3] };
}

function variantOf(lowering: WgslLowering, node: Node, sizes: AttentionSizes): AttentionVariant {
  const type = (slot: number) => lowering.graph.typeOf(node.inputs[slot]);
  const maskName = node.inputs[3];
  const scores = node.outputs[3] ? (lowering.attrs(node).int('qk_matmul_output_mode') as 0 | 1 | 2 | 3) : undefined;
  const variant: AttentionVariant = {
    headSize: sizes.headSize,
    vHeadSize: sizes.vHeadSize,
    element: deviceElement(type(0).dtype),
    vElement: deviceElement(type(2).dtype),
    mask: !maskName ? 'none' : type(3).dtype === 'bool' ? 'bool' : 'float',
    nonpad: Boolean(node.inputs[6]),
    ...(scores === undefined ? {} : { scores }),
  };
  if (blockKeys(variant) === 0) throw unsupported(node, `head sizes D=${sizes.headSize}, Dv=${sizes.vHeadSize} are too large for one tile of workgroup memory`);
  return variant;
}

/** Lowers one Attention node. */
export function lowerAttention(lowering: WgslLowering, node: Node): void {
  const sizes = attentionSizes(lowering, node);
  const variant = variantOf(lowering, node, sizes);
  const attrs = lowering.attrs(node);
  const keys = keysOrValues(lowering, node, sizes, 'key');
  const values = keysOrValues(lowering, node, sizes, 'value');
  const buffers: Record<string, number> = { q: lowering.buffer(node.inputs[0]), k: keys.buffer, v: values.buffer, y: lowering.buffer(node.outputs[0]) };
  if (variant.mask !== 'none') buffers.mask = lowering.buffer(node.inputs[3]);
  if (variant.nonpad) buffers.nonpad = lowering.buffer(node.inputs[6]);
  if (variant.scores !== undefined) buffers.qk = lowering.buffer(node.outputs[3]);
  const strides = (prefix: string, [b, h, s]: HeadStrides) => ({ [`${prefix}_stride_b`]: b, [`${prefix}_stride_h`]: h, [`${prefix}_stride_s`]: s });
  const uniforms: Record<string, Dim> = {
    q_seq: sizes.qSeq,
    total_seq: sizes.totalSeq,
    q_heads: sizes.qHeads,
    kv_heads: sizes.kvHeads,
    ...strides('q', headStrides(sizes.rank3, sizes.qHeads, sizes.qSeq, sizes.headSize)),
    ...strides('k', keys.strides),
    ...strides('v', values.strides),
    ...strides('y', headStrides(sizes.rank3, sizes.qHeads, sizes.qSeq, sizes.vHeadSize)),
    ...(variant.mask !== 'none' ? maskLayout(lowering, node) : {}),
    scale: attrs.optionalFloat('scale') ?? 1 / Math.sqrt(sizes.headSize),
    softcap: attrs.float('softcap'),
    is_causal: attrs.int('is_causal'),
    left_window: attrs.int('left_window_size'),
    right_window: attrs.int('right_window_size'),
    past_seq: sizes.pastSeq,
    has_past: node.inputs[4] ? 1 : 0,
  };
  lowering.call(attentionKernel(variant), node, { buffers, uniforms }, { items: [sizes.qSeq, sizes.qHeads, sizes.batch], perWorkgroup: [BLOCK_ROWS, 1, 1] });
}
