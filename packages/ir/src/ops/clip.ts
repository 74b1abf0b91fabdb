/**
 * Clip (ONNX Clip-13): X limited to [min, max], element-wise, any numeric
 * dtype. `min` and `max` are optional scalar inputs of X's dtype (absent:
 * no bound on that side); they are ordinary inputs, so they may arrive at
 * run time. The result is min(max(X, min), max), so a `min` above `max`
 * gives `max` everywhere, and NaN stays NaN.
 */
import { max, min } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ELEMENTWISE_NUMERIC_TYPES } from './kernel-utils.js';

/** Clip: X limited to the optional bounds `min` and `max`. */
export const Clip = defineElementwise({
  name: 'Clip',
  summary: 'X limited to [min, max] (optional scalar bounds)',
  kind: 'select',
  inputs: [
    { name: 'input', types: ELEMENTWISE_NUMERIC_TYPES },
    { name: 'min', types: ELEMENTWISE_NUMERIC_TYPES, sameAs: 0, optional: true },
    { name: 'max', types: ELEMENTWISE_NUMERIC_TYPES, sameAs: 0, optional: true },
  ],
  check(ctx) {
    for (const index of [1, 2]) {
      const bound = ctx.optionalType(index);
      if (bound && bound.shape.some((dim) => dim !== 1)) ctx.failShape(`${ctx.inputPortName(index)} ${ctx.inputRef(index)} must be a scalar, got shape [${bound.shape.join(', ')}]`, ctx.node.inputs[index]);
    }
  },
  expression(ctx) {
    const [x, low, high] = ctx.inputs;
    const raised = ctx.has(1) ? max(x, low) : x;
    return ctx.has(2) ? min(raised, high) : raised;
  },
});
