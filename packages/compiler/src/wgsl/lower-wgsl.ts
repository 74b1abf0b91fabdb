/**
 * Lowering a compiled graph to a WGSL Program: one or more kernel calls per
 * node that must run (see lower/demand.ts), in graph order. Reshape-like
 * ops become views of their input's buffer; nodes whose outputs are known
 * from the shapes alone (the runtime writes those) or are constants need no
 * kernel. Each op's lowering lives in ops/, each kernel family in kernels/.
 */
import type { Graph, Node, Program } from '@ladon/ir';
import { demandedNodes } from '../lower/demand.js';
import { WgslLowering, unsupported } from './lowering.js';
import { lowerAttention } from './ops/attention.js';
import { lowerConcat, lowerExpand, lowerSlice, lowerSplit, lowerTranspose } from './ops/copy-ops.js';
import { ELEMENTWISE_OPS, lowerElementwise } from './ops/elementwise.js';
import { lowerGemm, lowerLinear, lowerMatMul } from './ops/matmul.js';
import { lowerConstantOfShape, lowerReduce } from './ops/reductions.js';
import { lowerGather, lowerLayerNorm, lowerRange, lowerSoftmax } from './ops/rows-and-indexing.js';

type OpLowering = (lowering: WgslLowering, node: Node) => void;

/** Ops whose output is the input's bytes under another shape. */
const VIEW_OPS: ReadonlySet<string> = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Identity']);

/** The lowering of every op with kernels. */
const LOWERINGS: Readonly<Record<string, OpLowering>> = {
  Attention: lowerAttention,
  MatMul: lowerMatMul,
  FusedMatMul: lowerMatMul,
  Gemm: lowerGemm,
  Linear: lowerLinear,
  Transpose: lowerTranspose,
  Slice: lowerSlice,
  Split: lowerSplit,
  Concat: lowerConcat,
  Expand: lowerExpand,
  LayerNormalization: lowerLayerNorm,
  Softmax: lowerSoftmax,
  Gather: lowerGather,
  Range: lowerRange,
  ReduceSum: lowerReduce,
  ReduceMean: lowerReduce,
  ConstantOfShape: lowerConstantOfShape,
  ...Object.fromEntries(ELEMENTWISE_OPS.map((op) => [op, lowerElementwise])),
};

/** The ops the WGSL lowering handles (views included). */
export const WGSL_OPS: readonly string[] = [...VIEW_OPS, ...Object.keys(LOWERINGS)].sort();

/** True when every output of `node` is a constant or a small value the runtime writes from the shapes. */
function needsNoKernel(lowering: WgslLowering, node: Node): boolean {
  return node.outputs.every((output) => {
    if (!output) return true;
    if (lowering.builder.constant(output)) return true;
    const value = lowering.graph.values.get(output);
    const known = value?.known;
    return known !== undefined && known.every((dim) => dim !== '?') && (value?.type.shape.length ?? 2) <= 1;
  });
}

/** Lowers a compiled graph to a WGSL program. */
export function lowerToWgsl(graph: Graph, passes: readonly string[]): Program {
  const lowering = new WgslLowering(graph);
  for (const node of demandedNodes(graph)) {
    if (needsNoKernel(lowering, node)) continue;
    if (VIEW_OPS.has(node.op)) {
      lowering.builder.alias(node.outputs[0], node.inputs[0]);
      continue;
    }
    const lower = LOWERINGS[node.op];
    if (!lower) throw unsupported(node, `no WGSL kernel for ${node.op} (supported: ${WGSL_OPS.join(', ')})`);
    lower(lowering, node);
  }
  return lowering.builder.build({ wgsl: lowering.payload() }, passes);
}
