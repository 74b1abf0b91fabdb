/** Div: element-wise `A / B` with broadcasting; integer division truncates (ONNX Div-14). */
import { defineBinaryArithmetic, symbolicArithmetic } from './binary-arithmetic.js';
import { integerDivide } from './kernel-utils.js';

export const Div = defineBinaryArithmetic({
  name: 'Div',
  summary: 'A / B, broadcasting; integers truncate towards zero',
  float: (a, b) => a / b,
  integer: (a, b) => (b === 0 ? 0 : integerDivide(a, b)),
  symbolic: symbolicArithmetic.div,
});
