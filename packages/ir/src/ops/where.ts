/**
 * Where (ONNX Where-16): `condition ? X : Y` element-wise, with the three
 * inputs broadcast together. `condition` is bool; X and Y share a dtype.
 * Elements are passed through as they are, so i64 values stay exact. Over
 * known shape values (PyTorch's `expand` target: Where(Equal(shape, -1),
 * 1, shape)) the result is known too (known-values.ts).
 */
import { select } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ELEMENTWISE_TYPES } from './kernel-utils.js';
import { knownElementwise, knownSelect } from './known-values.js';

/** Where: element-wise select between X and Y by a bool condition, broadcasting all three. */
export const Where = defineElementwise({
  name: 'Where',
  summary: 'condition ? X : Y element-wise, broadcasting all three',
  kind: 'select',
  inputs: [
    { name: 'condition', types: ['bool'] },
    { name: 'X', types: ELEMENTWISE_TYPES },
    { name: 'Y', types: ELEMENTWISE_TYPES, sameAs: 1 },
  ],
  output: 1,
  expression: ({ inputs: [condition, x, y] }) => select(condition, x, y),
  inferValue: (ctx) => knownElementwise(ctx, 3, knownSelect),
});
