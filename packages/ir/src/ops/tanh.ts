/** Tanh: element-wise hyperbolic tangent (ONNX Tanh-13). */
import { defineUnary } from './unary-float.js';

/** Tanh: `Y = tanh(X)` element-wise, float dtypes. */
export const Tanh = defineUnary({
  name: 'Tanh',
  summary: 'tanh(X), element-wise',
  fn: Math.tanh,
});
