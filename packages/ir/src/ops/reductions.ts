/**
 * The Reduce* ops (ONNX ReduceSum-13, ReduceMean/Max/Min/Prod/L1/L2/
 * LogSum/LogSumExp/SumSquare-18, ReduceMax/Min-20 with bool), one entry
 * each: an element's contribution, how contributions combine, and the
 * result from the combined value and the set's size (see reduce.ts for the
 * axes, keepdims and noop_with_empty_axes). Floats accumulate in f32 on
 * the backends (f64 in the reference), integers in their own type (wrapping),
 * bools as bools. Over an empty set: Sum, SumSquare, L1, L2 give 0, Prod
 * 1, Max -inf and Min +inf (the integer extremes; false and true for bool),
 * Mean NaN (0 for integers), LogSum and LogSumExp -inf.
 */
import type { DType } from '../dtype.js';
import type { OpDef, ReductionDefinition } from '../op-def.js';
import { abs, convert, div, exp, input, log, mul, sqrt, type ScalarExpr, type ScalarType } from '../scalar/expr.js';
import { FLOAT_TYPES, NUMERIC_TYPES } from './kernel-utils.js';
import { defineReduce } from './reduce.js';

/** The pieces a reduction is defined by, for one accumulator type (see ReductionDefinition). */
interface Pieces {
  readonly map?: (x: ScalarExpr) => ScalarExpr;
  readonly combine: ReductionDefinition['combine'];
  readonly finish?: (accumulator: ScalarExpr, count: ScalarExpr) => ScalarExpr;
  readonly shiftByMax?: boolean;
}

function reduction(name: string, summary: string, types: readonly DType[], pieces: (type: ScalarType) => Pieces): OpDef {
  return defineReduce({
    name,
    summary,
    types,
    define(type) {
      const { map, combine, finish, shiftByMax } = pieces(type);
      const [element, accumulator, count] = [input(0, type), input(0, type), input(1, type)];
      return {
        accumulator: type,
        map: map ? map(element) : element,
        combine,
        finish: finish ? finish(accumulator, count) : accumulator,
        ...(shiftByMax ? { shiftByMax } : {}),
      };
    },
  });
}

/** f(x) computed in f32 and converted back to x's type (integer results truncate). */
function inFloat(x: ScalarExpr, f: (value: ScalarExpr) => ScalarExpr): ScalarExpr {
  return convert(f(convert(x, 'f32')), x.type);
}

const square = (x: ScalarExpr): ScalarExpr => mul(x, x);

/** ReduceSum: the sum. */
export const ReduceSum = reduction('ReduceSum', 'sum over axes', NUMERIC_TYPES, () => ({ combine: 'add' }));
/** ReduceMean: the arithmetic mean (integer means truncate towards zero). */
export const ReduceMean = reduction('ReduceMean', 'mean over axes', NUMERIC_TYPES, () => ({ combine: 'add', finish: div }));
/** ReduceMax: the largest value (NaN propagates); for bool, any. */
export const ReduceMax = reduction('ReduceMax', 'maximum over axes', [...NUMERIC_TYPES, 'bool'], (type) => ({ combine: type === 'bool' ? 'or' : 'max' }));
/** ReduceMin: the smallest value (NaN propagates); for bool, all. */
export const ReduceMin = reduction('ReduceMin', 'minimum over axes', [...NUMERIC_TYPES, 'bool'], (type) => ({ combine: type === 'bool' ? 'and' : 'min' }));
/** ReduceProd: the product. */
export const ReduceProd = reduction('ReduceProd', 'product over axes', NUMERIC_TYPES, () => ({ combine: 'mul' }));
/** ReduceSumSquare: the sum of squares. */
export const ReduceSumSquare = reduction('ReduceSumSquare', 'sum of squares over axes', NUMERIC_TYPES, () => ({ map: square, combine: 'add' }));
/** ReduceL1: the sum of absolute values. */
export const ReduceL1 = reduction('ReduceL1', 'sum of absolute values over axes', NUMERIC_TYPES, () => ({ map: abs, combine: 'add' }));
/** ReduceL2: the square root of the sum of squares (integer results truncate). */
export const ReduceL2 = reduction('ReduceL2', 'Euclidean norm over axes', NUMERIC_TYPES, () => ({ map: square, combine: 'add', finish: (sum) => inFloat(sum, sqrt) }));
/** ReduceLogSum: the natural log of the sum. */
export const ReduceLogSum = reduction('ReduceLogSum', 'log of the sum over axes', FLOAT_TYPES, () => ({ combine: 'add', finish: log }));
/** ReduceLogSumExp: log(Σ exp(x)), computed as m + log(Σ exp(x - m)) with m the maximum, so large inputs do not overflow. */
export const ReduceLogSumExp = reduction('ReduceLogSumExp', 'log of the sum of exponentials over axes (stable)', FLOAT_TYPES, () => ({
  map: exp,
  combine: 'add',
  finish: log,
  shiftByMax: true,
}));

/** Every reduction, for the op set. */
export const REDUCTION_OPS: readonly OpDef[] = [
  ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp,
];
