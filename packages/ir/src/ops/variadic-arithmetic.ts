/**
 * The variadic element-wise ops (ONNX Max-13, Min-13, Sum-13, Mean-13):
 * one or more inputs of one dtype, broadcast together, folded left to
 * right into one scalar expression. Max and Min take any numeric dtype
 * and propagate NaN; Sum and Mean take floats (Mean divides the sum by
 * the number of inputs).
 */
import type { DType } from '../dtype.js';
import type { OpDef } from '../op-def.js';
import { add, constant, div, max, min, type ScalarExpr } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ELEMENTWISE_NUMERIC_TYPES, FLOAT_TYPES } from './kernel-utils.js';

function variadic(name: string, summary: string, types: readonly DType[], fold: (inputs: readonly ScalarExpr[]) => ScalarExpr): OpDef {
  return defineElementwise({
    name,
    summary,
    kind: 'binary',
    inputs: [{ name: 'data_0', types, variadic: true }],
    outputName: name.toLowerCase(),
    commutative: true,
    expression: ({ inputs }) => fold(inputs),
  });
}

const reduce = (combine: (a: ScalarExpr, b: ScalarExpr) => ScalarExpr) => (inputs: readonly ScalarExpr[]): ScalarExpr => inputs.reduce((a, b) => combine(a, b));

/** Max: the element-wise largest of the inputs (NaN if any is). */
export const Max = variadic('Max', 'element-wise maximum of one or more inputs, broadcasting', ELEMENTWISE_NUMERIC_TYPES, reduce(max));
/** Min: the element-wise smallest of the inputs (NaN if any is). */
export const Min = variadic('Min', 'element-wise minimum of one or more inputs, broadcasting', ELEMENTWISE_NUMERIC_TYPES, reduce(min));
/** Sum: the element-wise sum of the inputs. */
export const Sum = variadic('Sum', 'element-wise sum of one or more inputs, broadcasting', FLOAT_TYPES, reduce(add));
/** Mean: the element-wise mean of the inputs. */
export const Mean = variadic('Mean', 'element-wise mean of one or more inputs, broadcasting', FLOAT_TYPES, (inputs) => div(reduce(add)(inputs), constant(inputs.length)));

/** Every op of this file, for the op set. */
export const VARIADIC_ARITHMETIC_OPS: readonly OpDef[] = [Max, Min, Sum, Mean];
