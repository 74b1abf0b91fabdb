/**
 * ReduceMean (ONNX ReduceMean-18, also the attribute form of ReduceMean-13):
 * the mean over axes. Integer means truncate towards zero; the mean of zero
 * elements is NaN for floats and 0 for integers.
 */
import { NUMERIC_TYPES } from './kernel-utils.js';
import { defineReduce } from './reduce.js';

/** ReduceMean: the arithmetic mean over the given axes (all axes when none are given). */
export const ReduceMean = defineReduce({
  name: 'ReduceMean',
  summary: 'mean over axes (keepdims, axes as attribute or input)',
  types: NUMERIC_TYPES,
  finish: (sum, count, isInt) => (isInt ? (count === 0 ? 0 : Math.trunc(sum / count)) : sum / count),
});
