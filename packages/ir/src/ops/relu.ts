/** Relu: element-wise `max(0, X)` (ONNX Relu-14, which also accepts signed integers). NaN stays NaN. */
import { FLOAT_TYPES, INT_TYPES } from './kernel-utils.js';
import { defineUnary } from './unary-float.js';

/** Relu: `Y = max(0, X)` element-wise, float and integer dtypes. */
export const Relu = defineUnary({
  name: 'Relu',
  summary: 'max(0, X), element-wise',
  fn: (x) => (x < 0 ? 0 : x),
  types: [...FLOAT_TYPES, ...INT_TYPES],
});
