/**
 * Helpers shared by the op lowerings: dtype checks with errors naming the
 * node, element counts and products of symbolic dims, static integer
 * inputs (constants or symbolically known contents).
 */
import { dtypeSize, mulDims, nodeLocation, numericValues, UnsupportedError, type Dim, type DType } from '@ladon/ir';
import type { LoweringContext } from '../lowering-context.js';

/** The dtype of `value`; a typed error naming the node when it is not one of `allowed`. */
export function expectDType(ctx: LoweringContext, value: string, allowed: readonly DType[], role = 'operand'): DType {
  const dtype = ctx.graph.typeOf(value).dtype;
  if (!allowed.includes(dtype)) {
    throw new UnsupportedError(
      `the wasm backend does not support ${dtype} for the ${role} %${value} of ${ctx.node.op} (supported: ${allowed.join(', ')})`,
      nodeLocation(ctx.node, value),
    );
  }
  return dtype;
}

/** The symbolic shape of `value`. */
export function shapeOf(ctx: LoweringContext, value: string): readonly Dim[] {
  return ctx.graph.typeOf(value).shape;
}

/** The product of `dims` (symbolic where needed). */
export function productOf(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((product, dim) => mulDims(product, dim), 1);
}

/** Bytes per element of `value`. */
export function elementBytes(ctx: LoweringContext, value: string): number {
  return dtypeSize(ctx.graph.typeOf(value).dtype);
}

/**
 * The contents of a small integer input known at compile time: from a
 * constant, or from the symbolic contents the shape inference tracked.
 * Undefined when neither is available.
 */
export function staticInts(ctx: LoweringContext, value: string): readonly Dim[] | undefined {
  if (!value) return undefined;
  const constant = ctx.program.constant(value);
  if (constant) return Array.from(numericValues(constant));
  const known = ctx.graph.values.get(value)?.known;
  return known && known.every((dim) => dim !== '?') ? known : undefined;
}

/** Like {@link staticInts}, but a typed error naming the node when the contents are not known. */
export function requireStaticInts(ctx: LoweringContext, value: string, role: string): readonly Dim[] {
  const values = staticInts(ctx, value);
  if (values) return values;
  throw new UnsupportedError(`the wasm backend needs the ${role} %${value} of ${ctx.node.op} to be known at compile time`, nodeLocation(ctx.node, value));
}

/** Like {@link requireStaticInts}, but every entry must be a number. */
export function requireStaticNumbers(ctx: LoweringContext, value: string, role: string): readonly number[] {
  const values = requireStaticInts(ctx, value, role);
  if (values.every((dim): dim is number => typeof dim === 'number')) return values;
  throw new UnsupportedError(`the wasm backend needs the ${role} %${value} of ${ctx.node.op} to be plain numbers, got [${values.join(', ')}]`, nodeLocation(ctx.node, value));
}

/** A typed error naming the node. */
export function unsupported(ctx: LoweringContext, message: string, value?: string): UnsupportedError {
  return new UnsupportedError(`the wasm backend cannot lower ${ctx.node.op}: ${message}`, nodeLocation(ctx.node, value));
}
