/**
 * Symbolic contents through element-wise ops. Shape inference knows the
 * contents of small integer values (`Value.known`: numbers and polynomials
 * in the size symbols); an element-wise op over such values knows its own
 * contents element by element, where they can be decided.
 */
import { dimsEqual, isSymbolName, isUnknownDim, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { InferContext } from '../op-def.js';

/**
 * The known contents of an element-wise op's output from its first
 * `inputs` inputs' known contents (a length-1 input broadcast): `combine`
 * gets one element of each and returns the output element, or undefined
 * where it cannot be decided (that element becomes `?`). Undefined when an
 * input's contents are not known or the lengths do not broadcast.
 */
export function knownElementwise(ctx: InferContext, inputs: number, combine: (elements: readonly Dim[]) => Dim | undefined): readonly Dim[] | undefined {
  const known = Array.from({ length: inputs }, (_, index) => ctx.known(index));
  if (known.some((value) => value === undefined)) return undefined;
  const values = known as (readonly Dim[])[];
  const length = Math.max(...values.map((value) => value.length));
  if (values.some((value) => value.length !== length && value.length !== 1)) return undefined;
  return Array.from({ length }, (_, i) => combine(values.map((value) => value[value.length === 1 ? 0 : i])) ?? UNKNOWN_DIM);
}

/**
 * `a == b` on known elements as 1 or 0, or undefined when it depends on the
 * sizes bound. A size symbol is never negative, so it differs from a
 * negative number (PyTorch's `expand` compares its target with -1 so).
 */
export function knownEqual(a: Dim, b: Dim): Dim | undefined {
  if (isUnknownDim(a) || isUnknownDim(b)) return undefined;
  if (dimsEqual(a, b)) return 1;
  if (typeof a === 'number' && typeof b === 'number') return 0;
  const [number, other] = typeof a === 'number' ? [a, b] : [b, a];
  return typeof number === 'number' && number < 0 && typeof other === 'string' && isSymbolName(other) ? 0 : undefined;
}

/** `condition ? x : y` on known elements (condition 1 or 0), or undefined when the condition is not decided and x and y differ. */
export function knownSelect([condition, x, y]: readonly Dim[]): Dim | undefined {
  if (condition === 1) return x;
  if (condition === 0) return y;
  return !isUnknownDim(x) && dimsEqual(x, y) ? x : undefined;
}
