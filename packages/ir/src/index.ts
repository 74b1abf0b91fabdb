// The public surface of @ladon/ir. Everything a consumer may import is
// re-exported here and documented at its definition.
export * from './errors.js';
export * from './dtype.js';
export { f16BitsToF32, f32ToF16Bits, f16ArrayToF32, f32ArrayToF16 } from './f16.js';
export * from './dim.js';
export * from './shape.js';
export * from './tensor.js';
export { Graph, nodeLabel, nodeLocation, countOps, type AttrValue, type Attributes, type Node, type Value } from './graph.js';
export {
  OpContext,
  InferContext,
  EvalContext,
  inputPort,
  type AttrSpec,
  type AttrType,
  type OpDef,
  type PortSpec,
  type ElementwiseContext,
  type ElementwiseKind,
  type ElementwiseTrait,
  type ReductionCombine,
  type ReductionDefinition,
  type ReductionTrait,
} from './op-def.js';
export { getOpDef, hasOp, listOps, registerOp } from './registry.js';
export { inferNode, knownFromTensor, type NodeInference, type ValueFacts } from './infer.js';
export { verifyGraph, typesCompatible, constantValues, valueFacts, inferContextOf, type VerifyOptions } from './verify.js';
// Validated readers of op semantics, shared by shape inference and the compiler's lowering plans.
export { readAttentionAttrs, type AttentionAttrs } from './ops/attention-attrs.js';
export {
  inferAttentionDims,
  ATTN_Q,
  ATTN_K,
  ATTN_V,
  ATTN_MASK,
  ATTN_PAST_KEY,
  ATTN_PAST_VALUE,
  ATTN_NONPAD,
  type AttentionDims,
} from './ops/attention-infer.js';
export {
  ATTN_ROTARY_COS,
  ATTN_ROTARY_SIN,
  ATTN_ALIBI_SLOPES,
  ATTN_KEY_POSITIONS,
  ATTN_RELATIVE_BIAS,
  ALIBI_FORMS,
  readPositionAttrs,
  type AlibiForm,
  type PositionAttrs,
} from './ops/attention-position.js';
export { applyRotary } from './ops/attention-position-reference.js';
export { sliceStart } from './ops/slice.js';
export { reducedAxes, combineIdentity } from './ops/reduce.js';
export { staticScalar, rangeLength } from './ops/range.js';
export { readArgExtreme } from './ops/arg-extreme.js';
export { cumSumAxis, readCumSumFlags } from './ops/cumsum.js';
export { readTopK } from './ops/top-k.js';
export { readRotaryDims, type RotaryDims } from './ops/rotary-embedding.js';
export { padMode, padSource, type PadMode } from './ops/pad.js';
export { oneHotAxis, oneHotPosition } from './ops/one-hot.js';
export { indexDepth } from './ops/gather-nd.js';
export { dropoutHash, dropoutThreshold } from './ops/dropout.js';
export { scatterReduction, type ScatterReduction } from './ops/scatter.js';
export { windowExtent, type WindowAxis } from './ops/spatial-window.js';
export { convGeometry, type ConvGeometry } from './ops/conv.js';
export { convTransposeGeometry, type ConvTransposeGeometry } from './ops/conv-transpose.js';
export { poolGeometry, type PoolGeometry } from './ops/pool.js';
export { normalizationGroups } from './ops/channel-normalization.js';
export { depthSpaceLayout, type DepthSpaceLayout } from './ops/depth-space.js';
export { resizeTaps, type ResizeTaps, type ResizeAxisTaps, type ResizeInputs } from './ops/resize-taps.js';
export { resizeInputs } from './ops/resize.js';
export { cbamGeometry, CBAM_INPUTS, type CbamGeometry } from './ops/cbam.js';
// Element-wise ops are defined by a scalar expression (builders as `scalar.add(...)`; see scalar/expr.ts).
export * as scalar from './scalar/expr.js';
export type { ScalarExpr, ScalarType, ScalarFunction, UnaryOp, BinaryOp, CompareOp } from './scalar/expr.js';
export {
  defineElementwise,
  elementwiseContext,
  elementwiseExpression,
  numberTag,
  type ElementwiseInput,
  type ElementwiseSpec,
} from './ops/elementwise.js';
export { GraphBuilder, type ValueRef } from './builder.js';
export { printGraph, printNode, formatValueName, formatNumber, type PrintOptions } from './text/print.js';
export { parseGraph } from './text/parse.js';
export { interpret, runNode, type InterpretOptions } from './interpret.js';
export { withInputValues } from './specialize.js';
export { numericValues } from './ops/kernel-utils.js';
export { onnxTypeToDType, dtypeToOnnxType, onnxTypeName, ONNX_TYPE_NAMES } from './onnx-dtype.js';
export { compareTensors, toleranceFor, DEFAULT_TOLERANCES, type Comparison, type Tolerance } from './compare.js';
export {
  PROGRAM_VERSION,
  type Program,
  type BufferSpec,
  type BufferKind,
  type ProgramStep,
  type ProgramTensor,
  type StepArg,
  type StepSplit,
  SPLIT_PARAMS,
  type WasmPayload,
  type WasmKernelSignature,
  type WgslKernel,
  type WgslPayload,
} from './program/program.js';
export {
  toHostTensor,
  fromHostTensor,
  hostNodeFields,
  hostStepNode,
  type HostProgram,
  type HostStep,
  type HostValue,
  type HostValueSource,
  type HostValueSymbols,
  type HostTensor,
  type HostAttr,
} from './program/host-program.js';
export { serializeProgram, deserializeProgram } from './program/serialize.js';
export { seededRandom } from './testing/random.js';
