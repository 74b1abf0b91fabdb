/** Mul: element-wise `A * B` with broadcasting (ONNX Mul-14). */
import { defineBinaryArithmetic, symbolicArithmetic } from './binary-arithmetic.js';

export const Mul = defineBinaryArithmetic({
  name: 'Mul',
  summary: 'A * B, broadcasting',
  float: (a, b) => a * b,
  integer: (a, b) => a * b,
  symbolic: symbolicArithmetic.mul,
  commutative: true,
});
