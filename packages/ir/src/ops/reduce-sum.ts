/** ReduceSum (ONNX ReduceSum-13, also the attribute form of ReduceSum-11): sums over axes. */
import { NUMERIC_TYPES } from './kernel-utils.js';
import { defineReduce } from './reduce.js';

/** ReduceSum: the sum over the given axes (all axes when none are given). */
export const ReduceSum = defineReduce({
  name: 'ReduceSum',
  summary: 'sum over axes (keepdims, axes as attribute or input)',
  types: NUMERIC_TYPES,
  finish: (sum) => sum,
});
