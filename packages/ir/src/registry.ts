/**
 * The op set: every op the IR knows, grouped by phase. One screen. Compiler
 * developers add an op by writing its file under `ops/` (schema, inference,
 * reference semantics, tests) and listing it here — an element-wise op by
 * one entry in its family's table (ops/unary-math.ts, activations.ts,
 * binary-arithmetic.ts, variadic-arithmetic.ts, comparison.ts, logical.ts)
 * — or, outside this package, with {@link registerOp}.
 */
import { UnknownOpError, UnsupportedError, type ErrorLocation } from './errors.js';
import type { OpDef } from './op-def.js';
import { ACTIVATION_OPS } from './ops/activations.js';
import { ArgMax, ArgMin } from './ops/arg-extreme.js';
import { Attention } from './ops/attention.js';
import { BINARY_ARITHMETIC_OPS } from './ops/binary-arithmetic.js';
import { Cast, CastLike } from './ops/cast.js';
import { Clip } from './ops/clip.js';
import { CBAM } from './ops/cbam.js';
import { BatchNormalization, GroupNormalization, InstanceNormalization } from './ops/channel-normalization.js';
import { COMPARISON_OPS } from './ops/comparison.js';
import { Concat } from './ops/concat.js';
import { ConstantOfShape } from './ops/constant-of-shape.js';
import { Constant } from './ops/constant.js';
import { CumSum } from './ops/cumsum.js';
import { ConvTranspose } from './ops/conv-transpose.js';
import { Conv } from './ops/conv.js';
import { DepthToSpace, SpaceToDepth } from './ops/depth-space.js';
import { Einsum } from './ops/einsum.js';
import { Expand } from './ops/expand.js';
import { FusedMatMul } from './ops/fused-matmul.js';
import { Gather } from './ops/gather.js';
import { Gemm } from './ops/gemm.js';
import { Identity } from './ops/identity.js';
import { LayerNormalization } from './ops/layer-normalization.js';
import { LOGICAL_OPS } from './ops/logical.js';
import { Linear } from './ops/linear.js';
import { MatMul } from './ops/matmul.js';
import { AveragePool, GlobalAveragePool, GlobalMaxPool, MaxPool } from './ops/pool.js';
import { Range } from './ops/range.js';
import { REDUCTION_OPS } from './ops/reductions.js';
import { Reshape } from './ops/reshape.js';
import { RMSNormalization } from './ops/rms-normalization.js';
import { RotaryEmbedding } from './ops/rotary-embedding.js';
import { Resize } from './ops/resize.js';
import { Shape } from './ops/shape.js';
import { Slice } from './ops/slice.js';
import { LogSoftmax, Softmax } from './ops/softmax.js';
import { Split } from './ops/split.js';
import { Squeeze } from './ops/squeeze.js';
import { TopK } from './ops/top-k.js';
import { Transpose } from './ops/transpose.js';
import { Trilu } from './ops/trilu.js';
import { UNARY_MATH_OPS } from './ops/unary-math.js';
import { Unsqueeze } from './ops/unsqueeze.js';
import { VARIADIC_ARITHMETIC_OPS } from './ops/variadic-arithmetic.js';
import { Where } from './ops/where.js';
import { Dropout } from './ops/dropout.js';
import { Flatten } from './ops/flatten.js';
import { GatherElements } from './ops/gather-elements.js';
import { GatherND } from './ops/gather-nd.js';
import { NonZero } from './ops/non-zero.js';
import { OneHot } from './ops/one-hot.js';
import { Pad } from './ops/pad.js';
import { Size } from './ops/size.js';
import { Tile } from './ops/tile.js';
import { ScatterElements, ScatterND } from './ops/scatter.js';

const BUILTIN_OPS: readonly OpDef[] = [
  // linear algebra
  MatMul, Gemm, Einsum,
  // element-wise arithmetic and math (each family one table: adding an op is one entry there)
  ...BINARY_ARITHMETIC_OPS, ...VARIADIC_ARITHMETIC_OPS, ...UNARY_MATH_OPS, ...ACTIVATION_OPS,
  // comparison, logic, selection, conversion
  ...COMPARISON_OPS, ...LOGICAL_OPS, Where, Clip, Cast, CastLike,
  // reductions and normalization
  Softmax, LogSoftmax, ...REDUCTION_OPS, ArgMax, ArgMin, CumSum, TopK, LayerNormalization, RMSNormalization,
  // shape and data movement
  Transpose, Reshape, Unsqueeze, Squeeze, Concat, Split, Slice, Gather, Shape, Expand, Identity,
  Flatten, Size, Tile, Pad, GatherElements, GatherND, ScatterElements, ScatterND, NonZero, OneHot, Dropout,
  // constants and generators
  Constant, ConstantOfShape, Range, Trilu,
  // convolution, pooling and resampling (NCHW)
  Conv, ConvTranspose, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Resize, DepthToSpace, SpaceToDepth,
  BatchNormalization, InstanceNormalization, GroupNormalization,
  // attention and position
  Attention, RotaryEmbedding,
  // Ladon extensions the compiler introduces (not ONNX)
  Linear, FusedMatMul, CBAM,
];

const registry = new Map<string, OpDef>(BUILTIN_OPS.map((def) => [def.name, def]));

/** The definition of `op`, or an UnknownOpError naming it (and where, if given). */
export function getOpDef(op: string, location: ErrorLocation = {}): OpDef {
  const def = registry.get(op);
  if (!def) throw new UnknownOpError(op, location);
  return def;
}

/** True when `op` is in the op set. */
export function hasOp(op: string): boolean {
  return registry.has(op);
}

/** The names of every op in the op set, sorted. */
export function listOps(): string[] {
  return [...registry.keys()].sort();
}

/** Adds an op to the op set (for ops defined outside @ladon/ir); refuses to replace a built-in one. */
export function registerOp(def: OpDef): void {
  if (BUILTIN_OPS.some((builtin) => builtin.name === def.name)) {
    throw new UnsupportedError(`cannot replace the built-in op ${def.name}`, { op: def.name });
  }
  registry.set(def.name, def);
}
