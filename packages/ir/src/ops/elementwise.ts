/**
 * Element-wise ops defined once, by the scalar expression of one output
 * element (see scalar/expr.ts). `defineElementwise` turns a definition into
 * an OpDef: inference (dtype checks per port, NumPy broadcasting of every
 * input), the reference semantics (the expression evaluated element by
 * element over the broadcast inputs), and the `elementwise` trait the
 * compiler plans and renders the op from — so adding a unary, binary,
 * comparison, logical or conversion op is one definition, with no backend
 * code. Inputs may be optional (Clip's bounds: the definition asks
 * `ctx.has(i)` and reads only present ones) and the last may repeat
 * (Max, Min, Sum, Mean: the expression gets one leaf per input given).
 */
import { allocData, type DType } from '../dtype.js';
import { LadonError } from '../errors.js';
import { f16ArrayToF32, f32ArrayToF16 } from '../f16.js';
import type { AttrSpec, ElementwiseContext, ElementwiseTrait, EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { broadcastShapes, shapeSize, type TensorType } from '../shape.js';
import { compileScalarExpr, type ScalarValue } from '../scalar/evaluate.js';
import { input, printScalarExpr, scalarTypeOf, type ScalarExpr } from '../scalar/expr.js';
import type { Tensor } from '../tensor.js';
import { broadcastConcrete, broadcastIndexMap, sameShape } from './kernel-utils.js';

/** One input port of an element-wise op and the dtypes it accepts. */
export interface ElementwiseInput {
  readonly name: string;
  readonly types: readonly DType[];
  /** Must have the dtype of this earlier input. */
  readonly sameAs?: number;
  /** May be omitted (`''` in the node, or absent at the end). */
  readonly optional?: boolean;
  /** The last input only: it repeats (one or more inputs, each with these types and the dtype of the first of them). */
  readonly variadic?: boolean;
  /** Only the dtype matters (CastLike's target): the shape takes no part in broadcasting and the expression never reads it. */
  readonly dtypeOnly?: boolean;
}

/** The definition of one element-wise op. */
export interface ElementwiseSpec extends ElementwiseTrait {
  readonly name: string;
  /** One line: what the op computes. */
  readonly summary: string;
  readonly inputs: readonly ElementwiseInput[];
  readonly attributes?: Readonly<Record<string, AttrSpec>>;
  /** The output dtype: that of an input (default input 0), bool, or read from the node. */
  readonly output?: number | 'bool' | ((ctx: OpContext) => DType);
  /** The output port's name (default `output`). */
  readonly outputName?: string;
  readonly commutative?: boolean;
  /** Extra checks at inference (attribute values). */
  readonly check?: (ctx: InferContext) => void;
  readonly inferValue?: OpDef['inferValue'];
}

/** The output dtype; `dtypes` is indexed by input (undefined for omitted ones). */
function outputType(spec: ElementwiseSpec, ctx: OpContext, dtypes: readonly (DType | undefined)[]): DType {
  const rule = spec.output ?? 0;
  if (rule === 'bool') return 'bool';
  return typeof rule === 'number' ? dtypes[rule]! : rule(ctx);
}

/** The expression of one node of `spec`'s op, checked to produce the output's type. */
export function elementwiseExpression(trait: ElementwiseTrait, ctx: ElementwiseContext): ScalarExpr {
  const expression = trait.expression(ctx);
  if (expression.type !== scalarTypeOf(ctx.output)) {
    throw new LadonError('E_INTERNAL', `the expression ${printScalarExpr(expression)} computes ${expression.type}, not the output's ${ctx.output}`);
  }
  return expression;
}

/**
 * The context of an element-wise expression for input dtypes `dtypes`
 * (undefined for an omitted optional input: its leaf has the output's
 * type and must not be read; `has` says which are present).
 */
export function elementwiseContext(
  attrs: OpContext,
  dtypes: readonly (DType | undefined)[],
  output: DType,
  constantScalar: (index: number) => number | undefined = () => undefined,
): ElementwiseContext {
  const present = dtypes.map((dtype) => dtype !== undefined);
  const known = dtypes.map((dtype) => dtype ?? output);
  return { inputs: known.map((dtype, index) => input(index, scalarTypeOf(dtype))), dtypes: known, output, attrs, constantScalar, has: (index) => present[index] ?? false };
}

/** The input spec of node input `index` (the variadic last one repeats). */
function portOf(spec: ElementwiseSpec, index: number): ElementwiseInput {
  return spec.inputs[index] ?? spec.inputs[spec.inputs.length - 1];
}

/** The OpDef ports of a spec. */
function portsOf(spec: ElementwiseSpec): OpDef['inputs'] {
  return spec.inputs.map(({ name, optional, variadic }) => ({ name, ...(optional ? { optional } : {}), ...(variadic ? { variadic } : {}) }));
}

/** A tensor's elements as scalar values (f16 decoded, i64 as BigInts, bools as 0/1). */
export function scalarValues(value: Tensor): ArrayLike<ScalarValue> {
  return value.dtype === 'f16' ? f16ArrayToF32(value.data as Uint16Array) : (value.data as ArrayLike<ScalarValue>);
}

/** Stores computed values as a tensor of `dtype` (f32 and f16 rounded once). */
export function tensorOfValues(dtype: DType, shape: readonly number[], values: ScalarValue[]): Tensor {
  if (dtype === 'f16') return { dtype, shape, data: f32ArrayToF16(values as number[]) };
  const data = allocData(dtype, values.length) as unknown as { [index: number]: ScalarValue };
  for (let i = 0; i < values.length; i++) data[i] = dtype === 'bool' ? (values[i] ? 1 : 0) : values[i];
  return { dtype, shape, data } as Tensor;
}

/** The reference semantics: the expression evaluated for every element of the broadcast inputs. */
function evaluateElementwise(spec: ElementwiseSpec, ctx: EvalContext): Tensor {
  const tensors = ctx.inputs.map((_, index) => (portOf(spec, index).optional ? ctx.optionalInput(index) : ctx.input(index)));
  const dtypes = tensors.map((tensor) => tensor?.dtype);
  const broadcasting = tensors.filter((tensor, index): tensor is Tensor => tensor !== undefined && !portOf(spec, index).dtypeOnly);
  const output = outputType(spec, ctx, dtypes);
  const fn = compileScalarExpr(elementwiseExpression(spec, elementwiseContext(ctx, dtypes, output)));
  const shape = broadcastConcrete(ctx, broadcasting.map((tensor) => tensor.shape));
  const size = shapeSize(shape);
  const values = tensors.map((tensor, index) => (tensor && !portOf(spec, index).dtypeOnly ? scalarValues(tensor) : [0]));
  const unread = (index: number): boolean => !tensors[index] || portOf(spec, index).dtypeOnly === true;
  const maps = tensors.map((tensor, index) => (unread(index) ? new Array<number>(size).fill(0) : sameShape(tensor!.shape, shape) ? undefined : broadcastIndexMap(shape, tensor!.shape)));
  const results = new Array<ScalarValue>(size);
  const operands = new Array<ScalarValue>(tensors.length);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < tensors.length; k++) operands[k] = values[k][maps[k] ? maps[k]![i] : i];
    results[i] = fn(operands);
  }
  return tensorOfValues(output, shape, results);
}

/** Inference: each present input's dtype checked against its port, the shapes broadcast together. */
function inferElementwise(spec: ElementwiseSpec, ctx: InferContext): TensorType[] {
  spec.check?.(ctx);
  const broadcasting: number[] = [];
  const dtypes = Array.from({ length: ctx.inputCount }, (_, index) => {
    const port = portOf(spec, index);
    if (port.optional && !ctx.has(index)) return undefined;
    const dtype = ctx.expectDType(index, port.types);
    const sameAs = port.variadic && index >= spec.inputs.length ? spec.inputs.length - 1 : port.sameAs;
    if (sameAs !== undefined && ctx.has(sameAs)) ctx.expectSameDType(sameAs, index);
    if (!port.dtypeOnly) broadcasting.push(index);
    return dtype;
  });
  const shape = broadcastShapes(broadcasting.map((index) => ctx.type(index).shape), { node: ctx.label, op: ctx.node.op });
  return [{ dtype: outputType(spec, ctx, dtypes), shape }];
}

/** Builds the OpDef of one element-wise op. */
export function defineElementwise(spec: ElementwiseSpec): OpDef {
  return {
    name: spec.name,
    summary: spec.summary,
    inputs: portsOf(spec),
    outputs: [{ name: spec.outputName ?? 'output' }],
    attributes: spec.attributes ?? {},
    ...(spec.commutative ? { commutative: true } : {}),
    elementwise: { kind: spec.kind, expression: spec.expression, ...(spec.variant ? { variant: spec.variant } : {}) },
    infer: (ctx) => inferElementwise(spec, ctx),
    ...(spec.inferValue ? { inferValue: spec.inferValue } : {}),
    evaluate: (ctx) => [evaluateElementwise(spec, ctx)],
  };
}

/** A number as a kernel-name part (`-0.5` -> `m0p5`): names what a kernel bakes in. */
export function numberTag(value: number): string {
  return String(Math.fround(value)).replace('-', 'm').replace('.', 'p').replace('+', '');
}
