/** Add: element-wise `A + B` with broadcasting (ONNX Add-14). */
import { defineBinaryArithmetic, symbolicArithmetic } from './binary-arithmetic.js';

export const Add = defineBinaryArithmetic({
  name: 'Add',
  summary: 'A + B, broadcasting',
  float: (a, b) => a + b,
  integer: (a, b) => a + b,
  symbolic: symbolicArithmetic.add,
  commutative: true,
});
