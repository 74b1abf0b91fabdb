/**
 * The wasm backend's half of lowering: an emitter for every plan kind
 * (lower/plans/plan.ts), and what its kernels can do that changes a plan
 * (the attention kernels read Q/K/V at byte offsets, so slices of a packed
 * projection are read in place). The kernels that compute in f32 run f16
 * nodes through f32 stand-ins (`inF32`).
 */
import type { Backend } from '../lower/lower-graph.js';
import type { KernelPlan } from '../lower/plans/plan.js';
import { emitScan, emitSelect } from './lower/along-axis.js';
import { emitAttention } from './lower/attention.js';
import { emitChannelNorm } from './lower/channel-norm.js';
import { emitCbam } from './lower/cbam.js';
import { emitCopy } from './lower/copy.js';
import { emitElementwise } from './lower/elementwise.js';
import { emitDropout, emitFill, emitGather, emitOneHot, emitRange, emitTrilu } from './lower/indexing.js';
import { emitMatMul } from './lower/matmul.js';
import { emitLayerNorm, emitSoftmax } from './lower/normalize.js';
import { emitGatherElements, emitGatherNd, emitScatter } from './lower/indexed.js';
import { emitPad } from './lower/pad.js';
import { emitReduce } from './lower/reduce.js';
import { emitResize } from './lower/resize.js';
import { emitRotary } from './lower/rotary.js';
import { emitConv, emitConvTranspose, emitPool } from './lower/window.js';
import type { WasmLowering } from './lowering.js';

/** An emitter of f32 kernels that also takes f16 nodes, computed in f32 (see WasmLowering.inF32). */
function inF32<Plan extends KernelPlan>(emit: (lowering: WasmLowering, plan: Plan) => void): (lowering: WasmLowering, plan: Plan) => void {
  return (lowering, plan) => lowering.inF32(plan.node, () => emit(lowering, plan));
}

/** The wasm backend's emitters and capabilities. */
export const WASM_BACKEND: Backend<WasmLowering> = {
  emitters: {
    attention: emitAttention, matmul: inF32(emitMatMul), elementwise: emitElementwise, copy: emitCopy, reduce: inF32(emitReduce),
    'layer-norm': inF32(emitLayerNorm), softmax: inF32(emitSoftmax), gather: emitGather, range: emitRange, trilu: emitTrilu, fill: emitFill,
    select: inF32(emitSelect), scan: inF32(emitScan), rotary: inF32(emitRotary),
    pad: emitPad,
    'gather-elements': emitGatherElements, 'gather-nd': emitGatherNd, scatter: emitScatter,
    'one-hot': emitOneHot,
    dropout: emitDropout,
    conv: emitConv, 'conv-transpose': emitConvTranspose, pool: emitPool, 'channel-norm': emitChannelNorm, resize: emitResize, cbam: emitCbam,
  },
  options: { attention: { packedSlices: true } },
};
