/** Sub: element-wise `A - B` with broadcasting (ONNX Sub-14). */
import { defineBinaryArithmetic, symbolicArithmetic } from './binary-arithmetic.js';

export const Sub = defineBinaryArithmetic({
  name: 'Sub',
  summary: 'A - B, broadcasting',
  float: (a, b) => a - b,
  integer: (a, b) => a - b,
  symbolic: symbolicArithmetic.sub,
});
