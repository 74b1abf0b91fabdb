/** Erf: element-wise Gauss error function (ONNX Erf-13), via Cody's rational approximations. */
import { defineUnary, erf } from './unary-float.js';

/** Erf: `Y = erf(X)` element-wise, float dtypes. */
export const Erf = defineUnary({
  name: 'Erf',
  summary: 'erf(X), the Gauss error function, element-wise',
  fn: erf,
});
