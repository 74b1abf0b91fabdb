/**
 * Runs one OpDef outside a graph: type inference on given input types, or
 * evaluation on given tensors. For op unit tests (and for callers that want
 * a single op's reference result without building a graph).
 */
import type { Dim } from '../dim.js';
import type { Attributes, Node } from '../graph.js';
import { EvalContext, InferContext, type OpDef } from '../op-def.js';
import type { TensorType } from '../shape.js';
import type { Tensor } from '../tensor.js';

function makeNode(def: OpDef, inputCount: number, outputCount: number, attrs: Attributes, present?: readonly boolean[]): Node {
  return {
    op: def.name,
    inputs: Array.from({ length: inputCount }, (_, i) => (present && !present[i] ? '' : `in${i}`)),
    outputs: Array.from({ length: outputCount }, (_, i) => `out${i}`),
    attrs,
  };
}

/** Options for {@link inferOp}. */
export interface InferOpOptions {
  /** Number of outputs the node declares (default: the op's non-variadic output count). */
  readonly outputs?: number;
  /** Constant input values, by input index. */
  readonly constants?: readonly (Tensor | undefined)[];
  /** Known symbolic contents of inputs, by input index. */
  readonly known?: readonly (readonly Dim[] | undefined)[];
}

/** Infers output types of one op applied to inputs of the given types (undefined = omitted input). */
export function inferOp(
  def: OpDef,
  inputs: readonly (TensorType | undefined)[],
  attrs: Attributes = {},
  options: InferOpOptions = {},
): (TensorType | undefined)[] {
  const node = makeNode(def, inputs.length, options.outputs ?? def.outputs.length, attrs, inputs.map((type) => type !== undefined));
  const constants = options.constants ?? [];
  const known = inputs.map((_, i) => options.known?.[i] ?? knownFromConstant(constants[i]));
  return def.infer(new InferContext(node, def, inputs, known, constants));
}

/** Evaluates one op on concrete tensors (undefined = omitted input). */
export function evaluateOp(
  def: OpDef,
  inputs: readonly (Tensor | undefined)[],
  attrs: Attributes = {},
  outputs = def.outputs.length,
): (Tensor | undefined)[] {
  const node = makeNode(def, inputs.length, outputs, attrs, inputs.map((value) => value !== undefined));
  return def.evaluate(new EvalContext(node, def, inputs));
}

function knownFromConstant(value: Tensor | undefined): Dim[] | undefined {
  if (!value || (value.dtype !== 'i64' && value.dtype !== 'i32') || value.shape.length > 1) return undefined;
  return Array.from(value.data as ArrayLike<number | bigint>, Number);
}
