/**
 * The WGSL backend's half of lowering: an emitter for every plan kind
 * (lower/plans/plan.ts). Its kernels read every operand from the start of
 * its own buffer, so plans keep their default layouts.
 */
import type { Backend } from '../lower/lower-graph.js';
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
import { emitConvolution, emitPool } from './lower/window.js';
import type { WgslLowering } from './lowering.js';

/** The WGSL backend's emitters and capabilities. */
export const WGSL_BACKEND: Backend<WgslLowering> = {
  emitters: {
    attention: emitAttention, matmul: emitMatMul, elementwise: emitElementwise, copy: emitCopy, reduce: emitReduce,
    'layer-norm': emitLayerNorm, softmax: emitSoftmax, gather: emitGather, range: emitRange, trilu: emitTrilu, fill: emitFill,
    select: emitSelect, scan: emitScan, rotary: emitRotary,
    pad: emitPad,
    'gather-elements': emitGatherElements, 'gather-nd': emitGatherNd, scatter: emitScatter,
    'one-hot': emitOneHot,
    dropout: emitDropout,
    conv: emitConvolution, 'conv-transpose': emitConvolution, pool: emitPool, 'channel-norm': emitChannelNorm, resize: emitResize, cbam: emitCbam,
  },
  options: {},
};
