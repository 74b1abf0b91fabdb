/**
 * Comparisons, one scalar expression each (ONNX Equal-19, Less-13,
 * LessOrEqual-16, Greater-13, GreaterOrEqual-16): both operands of one
 * dtype, broadcast together, producing bool. Equal takes any IR dtype, the
 * ordered comparisons numeric ones. NaN equals nothing and orders against
 * nothing; integers (i64 too) compare exactly. Equal of shape values known
 * symbolically is known too where it can be decided (known-values.ts).
 */
import type { DType } from '../dtype.js';
import type { OpDef } from '../op-def.js';
import { eq, ge, gt, le, lt, type ScalarExpr } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { knownElementwise, knownEqual } from './known-values.js';
import { ELEMENTWISE_NUMERIC_TYPES, ELEMENTWISE_TYPES } from './kernel-utils.js';

function comparison(name: string, summary: string, expression: (a: ScalarExpr, b: ScalarExpr) => ScalarExpr, types: readonly DType[], commutative = false, inferValue?: OpDef['inferValue']): OpDef {
  return defineElementwise({
    name,
    summary,
    kind: 'comparison',
    inputs: [
      { name: 'A', types },
      { name: 'B', types, sameAs: 0 },
    ],
    outputName: 'C',
    output: 'bool',
    commutative,
    expression: ({ inputs: [a, b] }) => expression(a, b),
    ...(inferValue ? { inferValue } : {}),
  });
}

/** Equal: `A == B` element-wise with broadcasting, producing bool. */
export const Equal = comparison('Equal', 'A == B element-wise, broadcasting, producing bool', eq, ELEMENTWISE_TYPES, true, (ctx) => knownElementwise(ctx, 2, ([a, b]) => knownEqual(a, b)));
/** Less: `A < B` element-wise with broadcasting, producing bool. */
export const Less = comparison('Less', 'A < B element-wise, broadcasting, producing bool', lt, ELEMENTWISE_NUMERIC_TYPES);
/** LessOrEqual: `A <= B` element-wise with broadcasting, producing bool. */
export const LessOrEqual = comparison('LessOrEqual', 'A <= B element-wise, broadcasting, producing bool', le, ELEMENTWISE_NUMERIC_TYPES);
/** Greater: `A > B` element-wise with broadcasting, producing bool. */
export const Greater = comparison('Greater', 'A > B element-wise, broadcasting, producing bool', gt, ELEMENTWISE_NUMERIC_TYPES);
/** GreaterOrEqual: `A >= B` element-wise with broadcasting, producing bool. */
export const GreaterOrEqual = comparison('GreaterOrEqual', 'A >= B element-wise, broadcasting, producing bool', ge, ELEMENTWISE_NUMERIC_TYPES);

/** Every op of this file, for the op set. */
export const COMPARISON_OPS: readonly OpDef[] = [Equal, Less, LessOrEqual, Greater, GreaterOrEqual];
