/**
 * Random tensors and feeds for tests: one definition the packages' tests
 * and the backend test workspace share. Values come from a seeded PRNG, so
 * every run and machine sees the same inputs.
 */
import { evaluateDim } from '../dim.js';
import { isIntDType, type DType } from '../dtype.js';
import type { Graph } from '../graph.js';
import { tensor, type Tensor } from '../tensor.js';

/** How to fill a tensor: a value range for numbers, or the chance of `true` for bools. */
export interface FillSpec {
  /** Floats are uniform in [low, high); integers uniform in [low, high] (defaults -1 and 1). */
  readonly low?: number;
  readonly high?: number;
  /** Draw integers even for a float dtype (integer dtypes always do). */
  readonly integers?: boolean;
  /** The chance of `true` in a bool tensor (default 0.5). */
  readonly trueChance?: number;
}

/** A random tensor of `dtype` and `shape`, its values drawn from `next` as `fill` says. */
export function randomTensor<D extends DType>(next: () => number, dtype: D, shape: readonly number[], fill: FillSpec = {}): Tensor<D> {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'bool') return tensor(dtype, shape, Array.from({ length: size }, () => next() < (fill.trueChance ?? 0.5)));
  const low = fill.low ?? -1;
  const high = fill.high ?? 1;
  const integers = fill.integers ?? isIntDType(dtype);
  return tensor(dtype, shape, Array.from({ length: size }, () => (integers ? Math.floor(low + next() * (high - low + 1)) : low + next() * (high - low))));
}

/** Random feeds for every input of `graph`, its symbols bound by `sizes`; `fills` by input name. */
export function randomFeeds(
  graph: Graph,
  sizes: Readonly<Record<string, number>>,
  next: () => number,
  fills: Readonly<Record<string, FillSpec>> = {},
): Record<string, Tensor> {
  const bindings = new Map(Object.entries(sizes));
  const feeds: Record<string, Tensor> = {};
  for (const name of graph.inputs) {
    const { dtype, shape } = graph.typeOf(name);
    const concrete = shape.map((dim) => (typeof dim === 'number' ? dim : (evaluateDim(dim, bindings) ?? Number.NaN)));
    if (concrete.some(Number.isNaN)) throw new Error(`random feeds: bind every symbol of input ${name} [${shape.join(', ')}]`);
    feeds[name] = randomTensor(next, dtype, concrete, fills[name]);
  }
  return feeds;
}
