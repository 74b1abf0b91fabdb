// The public surface of @ladon/ir. Everything a consumer may import is
// re-exported here and documented at its definition.
export * from './errors.js';
export * from './dtype.js';
export { f16BitsToF32, f32ToF16Bits, f16ArrayToF32, f32ArrayToF16 } from './f16.js';
export * from './dim.js';
export * from './shape.js';
export * from './tensor.js';
export { Graph, nodeLabel, nodeLocation, type AttrValue, type Attributes, type Node, type Value } from './graph.js';
export { OpContext, InferContext, EvalContext, type AttrSpec, type AttrType, type OpDef, type PortSpec } from './op-def.js';
export { getOpDef, hasOp, listOps, registerOp } from './registry.js';
export { inferNode, checkNodeSchema, knownFromTensor, type NodeInference, type ValueFacts } from './infer.js';
export { verifyGraph, findCycle, typesCompatible, constantValues, valueFacts, type VerifyOptions } from './verify.js';
export { GraphBuilder, type ValueRef } from './builder.js';
export { printGraph, printNode, formatValueName, formatNumber, type PrintOptions } from './text/print.js';
export { parseGraph } from './text/parse.js';
export { interpret, runNode, type InterpretOptions } from './interpret.js';
export { inferOp, evaluateOp, type InferOpOptions } from './testing/op-harness.js';
export { numericValues, broadcastIndexMap } from './ops/kernel-utils.js';
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
  type WasmPayload,
  type WgslKernel,
  type WgslPayload,
} from './program/program.js';
export { serializeProgram, deserializeProgram } from './program/serialize.js';
export { seededRandom } from './testing/random.js';
