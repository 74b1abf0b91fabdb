/**
 * Comparisons, one scalar expression each (ONNX Equal-19): both operands
 * of one dtype (any IR dtype), broadcast together, producing bool. NaN
 * equals nothing; i64 values compare exactly.
 */
import type { OpDef } from '../op-def.js';
import { eq } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ALL_TYPES } from './kernel-utils.js';

/** Equal: `A == B` element-wise with broadcasting, producing bool. */
export const Equal = defineElementwise({
  name: 'Equal',
  summary: 'A == B element-wise, broadcasting, producing bool',
  kind: 'comparison',
  inputs: [
    { name: 'A', types: ALL_TYPES },
    { name: 'B', types: ALL_TYPES, sameAs: 0 },
  ],
  outputName: 'C',
  output: 'bool',
  commutative: true,
  expression: ({ inputs: [a, b] }) => eq(a, b),
});

/** Every op of this file, for the op set. */
export const COMPARISON_OPS: readonly OpDef[] = [Equal];
