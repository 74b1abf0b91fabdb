/** Sqrt: element-wise square root (ONNX Sqrt-13); negative inputs give NaN. */
import { defineUnary } from './unary-float.js';

/** Sqrt: `Y = sqrt(X)` element-wise, float dtypes. */
export const Sqrt = defineUnary({
  name: 'Sqrt',
  summary: 'sqrt(X), element-wise',
  fn: Math.sqrt,
});
