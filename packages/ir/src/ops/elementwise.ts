/**
 * Element-wise ops defined once, by the scalar expression of one output
 * element (see scalar/expr.ts). `defineElementwise` turns a definition into
 * an OpDef: inference (dtype checks per port, NumPy broadcasting of every
 * input), the reference semantics (the expression evaluated element by
 * element over the broadcast inputs), and the `elementwise` trait the
 * compiler plans and renders the op from — so adding a unary, binary,
 * comparison, logical or conversion op is one definition, with no backend
 * code.
 */
import { allocData, type DType } from '../dtype.js';
import { LadonError } from '../errors.js';
import { f16ArrayToF32, f32ArrayToF16 } from '../f16.js';
import type { AttrSpec, ElementwiseContext, ElementwiseTrait, EvalContext, InferContext, OpContext, OpDef } from '../op-def.js';
import { broadcastShapes, shapeSize } from '../shape.js';
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

function outputType(spec: ElementwiseSpec, ctx: OpContext, dtypes: readonly DType[]): DType {
  const rule = spec.output ?? 0;
  if (rule === 'bool') return 'bool';
  return typeof rule === 'number' ? dtypes[rule] : rule(ctx);
}

/** The expression of one node of `spec`'s op, checked to produce the output's type. */
export function elementwiseExpression(trait: ElementwiseTrait, ctx: ElementwiseContext): ScalarExpr {
  const expression = trait.expression(ctx);
  if (expression.type !== scalarTypeOf(ctx.output)) {
    throw new LadonError('E_INTERNAL', `the expression ${printScalarExpr(expression)} computes ${expression.type}, not the output's ${ctx.output}`);
  }
  return expression;
}

/** The context of an element-wise expression for input dtypes `dtypes`. */
export function elementwiseContext(attrs: OpContext, dtypes: readonly DType[], output: DType, constantScalar: (index: number) => number | undefined = () => undefined): ElementwiseContext {
  return { inputs: dtypes.map((dtype, index) => input(index, scalarTypeOf(dtype))), dtypes, output, attrs, constantScalar };
}

/** A tensor's elements as scalar values (f16 decoded, i64 as BigInts, bools as 0/1). */
function scalarValues(value: Tensor): ArrayLike<ScalarValue> {
  return value.dtype === 'f16' ? f16ArrayToF32(value.data as Uint16Array) : (value.data as ArrayLike<ScalarValue>);
}

/** Stores computed values as a tensor of `dtype` (f32 and f16 rounded once). */
function tensorOf(dtype: DType, shape: readonly number[], values: ScalarValue[]): Tensor {
  if (dtype === 'f16') return { dtype, shape, data: f32ArrayToF16(values as number[]) };
  const data = allocData(dtype, values.length) as unknown as { [index: number]: ScalarValue };
  for (let i = 0; i < values.length; i++) data[i] = dtype === 'bool' ? (values[i] ? 1 : 0) : values[i];
  return { dtype, shape, data } as Tensor;
}

/** The reference semantics: the expression evaluated for every element of the broadcast inputs. */
function evaluateElementwise(spec: ElementwiseSpec, ctx: EvalContext): Tensor {
  const tensors = ctx.inputs.map((_, index) => ctx.input(index));
  const dtypes = tensors.map((tensor) => tensor.dtype);
  const output = outputType(spec, ctx, dtypes);
  const fn = compileScalarExpr(elementwiseExpression(spec, elementwiseContext(ctx, dtypes, output)));
  const shape = broadcastConcrete(ctx, tensors.map((tensor) => tensor.shape));
  const size = shapeSize(shape);
  const values = tensors.map(scalarValues);
  const maps = tensors.map((tensor) => (sameShape(tensor.shape, shape) ? undefined : broadcastIndexMap(shape, tensor.shape)));
  const results = new Array<ScalarValue>(size);
  const operands = new Array<ScalarValue>(tensors.length);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < tensors.length; k++) operands[k] = values[k][maps[k] ? maps[k]![i] : i];
    results[i] = fn(operands);
  }
  return tensorOf(output, shape, results);
}

/** Builds the OpDef of one element-wise op. */
export function defineElementwise(spec: ElementwiseSpec): OpDef {
  return {
    name: spec.name,
    summary: spec.summary,
    inputs: spec.inputs.map(({ name }) => ({ name })),
    outputs: [{ name: spec.outputName ?? 'output' }],
    attributes: spec.attributes ?? {},
    ...(spec.commutative ? { commutative: true } : {}),
    elementwise: { kind: spec.kind, expression: spec.expression, ...(spec.variant ? { variant: spec.variant } : {}) },
    infer(ctx) {
      spec.check?.(ctx);
      const dtypes = spec.inputs.map((port, index) => {
        const dtype = ctx.expectDType(index, port.types);
        if (port.sameAs !== undefined) ctx.expectSameDType(port.sameAs, index);
        return dtype;
      });
      const shape = broadcastShapes(spec.inputs.map((_, index) => ctx.type(index).shape), { node: ctx.label, op: ctx.node.op });
      return [{ dtype: outputType(spec, ctx, dtypes), shape }];
    },
    ...(spec.inferValue ? { inferValue: spec.inferValue } : {}),
    evaluate: (ctx) => [evaluateElementwise(spec, ctx)],
  };
}

/** A number as a kernel-name part (`-0.5` -> `m0p5`): names what a kernel bakes in. */
export function numberTag(value: number): string {
  return String(Math.fround(value)).replace('-', 'm').replace('.', 'p').replace('+', '');
}
