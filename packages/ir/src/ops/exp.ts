/** Exp: element-wise natural exponential (ONNX Exp-13). */
import { defineUnary } from './unary-float.js';

/** Exp: `Y = e^X` element-wise, float dtypes. */
export const Exp = defineUnary({
  name: 'Exp',
  summary: 'exp(X), element-wise',
  fn: Math.exp,
});
