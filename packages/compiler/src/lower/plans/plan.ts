/**
 * Planning a node: which plan family an op belongs to, and the plan. A plan
 * is plain data — sizes, strides, layouts, defaults, the copies an op
 * means — built once from the IR's readers; the wasm and WGSL backends
 * only decide how to emit it (what to bake into a kernel, what to pass at
 * run time). An op with no planner here has no kernel on any backend.
 */
import { getOpDef, LadonError, nodeLocation, UnsupportedError, type Node } from '@ladon/ir';
import { planArgExtreme, planCumSum, planTopK, type ScanPlan, type SelectPlan } from './along-axis.js';
import { planAttention, type AttentionOptions, type AttentionPlan } from './attention.js';
import { planCbam, type CbamPlan } from './cbam.js';
import { planChannelNorm, type ChannelNormPlan } from './channel-norm.js';
import { planConcat, planDepthSpace, planExpand, planSlice, planSplit, planTranspose, type CopyPlan } from './copy.js';
import { planDropout, type DropoutPlan } from './dropout.js';
import { planElementwise, type ElementwisePlan } from './elementwise.js';
import { planFill, planGather, planOneHot, planRange, planTrilu, type FillPlan, type GatherPlan, type OneHotPlan, type RangePlan, type TriluPlan } from './indexing.js';
import { planGemm, planLinear, planMatMul, type MatMulPlan } from './matmul.js';
import { planLayerNorm, planSoftmax, type LayerNormPlan, type SoftmaxPlan } from './normalize.js';
import { planGatherElements, planGatherNd, planScatter, type GatherElementsPlan, type GatherNdPlan, type ScatterPlan } from './indexed.js';
import { planPad, planTile, type PadPlan } from './pad.js';
import type { PlanContext } from './plan-context.js';
import { planReduce, type ReducePlan } from './reduce.js';
import { planRotary, type RotaryPlan } from './rotary.js';
import { planResize, type ResizePlan } from './resize.js';
import { planView, type ViewPlan } from './view.js';
import { planConv, planConvTranspose, planGlobalPool, planPool, type ConvPlan, type PoolPlan } from './window.js';

/** Every plan a node can become. */
export type OpPlan =
  | ViewPlan
  | ElementwisePlan
  | CopyPlan
  | AttentionPlan
  | MatMulPlan
  | LayerNormPlan
  | SoftmaxPlan
  | ReducePlan
  | GatherPlan
  | RangePlan
  | TriluPlan
  | FillPlan
  | SelectPlan
  | ScanPlan
  | RotaryPlan
  | PadPlan
  | GatherElementsPlan
  | GatherNdPlan
  | ScatterPlan
  | OneHotPlan
  | DropoutPlan
  | ConvPlan
  | PoolPlan
  | ChannelNormPlan
  | ResizePlan
  | CbamPlan;

/** The plan kinds a backend emits (views are the program builder's). */
export type KernelPlan = Exclude<OpPlan, ViewPlan>;

/** For each kernel plan kind, how a backend emits it. */
export type PlanEmitters<Lowering> = {
  readonly [Kind in KernelPlan['kind']]: (lowering: Lowering, plan: Extract<KernelPlan, { kind: Kind }>) => void;
};

/** Backend capabilities that change plans. */
export interface PlanOptions {
  readonly attention?: AttentionOptions;
}

/** A planner returns one plan, or several for an op that lowers to several (Dropout: a view and a fill). */
type Planner = (ctx: PlanContext, options: PlanOptions) => OpPlan | readonly OpPlan[];

/** The planner of each op that is neither a view, element-wise nor a reduction (those are op traits). */
const PLANNERS: Readonly<Record<string, Planner>> = {
  Attention: (ctx, options) => planAttention(ctx, options.attention),
  MatMul: planMatMul,
  FusedMatMul: planMatMul,
  Gemm: planGemm,
  Linear: planLinear,
  Transpose: planTranspose,
  Expand: planExpand,
  Concat: planConcat,
  Split: planSplit,
  Slice: planSlice,
  DepthToSpace: planDepthSpace,
  SpaceToDepth: planDepthSpace,
  LayerNormalization: planLayerNorm,
  RMSNormalization: planLayerNorm,
  Softmax: planSoftmax,
  LogSoftmax: planSoftmax,
  Gather: planGather,
  Range: planRange,
  Trilu: planTrilu,
  ConstantOfShape: planFill,
  TopK: planTopK,
  ArgMax: planArgExtreme,
  ArgMin: planArgExtreme,
  CumSum: planCumSum,
  RotaryEmbedding: planRotary,
  Dropout: planDropout,
  Pad: planPad,
  Tile: planTile,
  GatherElements: planGatherElements,
  GatherND: planGatherNd,
  ScatterElements: planScatter,
  ScatterND: planScatter,
  OneHot: planOneHot,
  Conv: planConv,
  ConvTranspose: planConvTranspose,
  MaxPool: planPool,
  AveragePool: planPool,
  GlobalMaxPool: planGlobalPool,
  GlobalAveragePool: planGlobalPool,
  BatchNormalization: planChannelNorm,
  InstanceNormalization: planChannelNorm,
  GroupNormalization: planChannelNorm,
  Resize: planResize,
  CBAM: planCbam,
};

/** The ops with kernels (views, element-wise ops and reductions aside). */
export const PLANNED_OPS: readonly string[] = Object.keys(PLANNERS).sort();

/** The plans of `ctx.node`, in order, or an UnsupportedError naming the node when no backend has a kernel for its op. */
export function planSteps(ctx: PlanContext, options: PlanOptions = {}): readonly OpPlan[] {
  const node = ctx.node;
  const def = getOpDef(node.op, nodeLocation(node));
  if (def.view) return [planView(ctx)];
  if (def.elementwise) return [planElementwise(ctx)];
  if (def.reduction) return [planReduce(ctx)];
  const planner = PLANNERS[node.op];
  if (!planner) throw noKernel(node);
  const planned = planner(ctx, options);
  return isPlanList(planned) ? planned : [planned];
}

function isPlanList(planned: OpPlan | readonly OpPlan[]): planned is readonly OpPlan[] {
  return Array.isArray(planned);
}

/** The plan of a node whose op lowers to one plan (see {@link planSteps}). */
export function planNode(ctx: PlanContext, options: PlanOptions = {}): OpPlan {
  const plans = planSteps(ctx, options);
  if (plans.length !== 1) throw new LadonError('E_INTERNAL', `${ctx.node.op} lowers to ${plans.length} plans; use planSteps`, nodeLocation(ctx.node));
  return plans[0];
}

function noKernel(node: Node): UnsupportedError {
  const hint = node.op === 'Constant' ? "; only Constant nodes with a 'value' tensor become weights (run the fold-constants pass for the others)" : '';
  return new UnsupportedError(`no kernel for ${node.op}${hint}`, nodeLocation(node));
}
