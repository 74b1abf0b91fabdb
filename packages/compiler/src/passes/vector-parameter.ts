/**
 * Per-feature parameters (a bias, a LayerNorm scale) as rank-1 vectors.
 * Exporters write them as `[N]`, `[1, N]` or `[1, 1, N]`; fused ops such as
 * Linear and LayerNormalization want exactly `[N]`.
 */
import { constantValues, dimsEqual, numericValues, tensor, type Dim, type Graph, type Tensor } from '@ladon/ir';
import { insertConstant } from '../graph-edit.js';

/** A constant of `length` copies of the single element of `value`. */
function filled(value: Tensor, length: number): Tensor {
  const element = numericValues(value)[0];
  return tensor(value.dtype, [length], new Array<number>(length).fill(element));
}

/**
 * The constant `value` as a vector `[length]` when it broadcasts to one over
 * the last axis (every dim but the last is 1); undefined otherwise.
 */
export function constantAsVector(value: Tensor, length: Dim): Tensor | undefined {
  const leadingOnes = value.shape.slice(0, -1).every((dim) => dim === 1);
  if (!leadingOnes || value.shape.length === 0) return value.data.length === 1 && typeof length === 'number' ? filled(value, length) : undefined;
  const last = value.shape[value.shape.length - 1];
  if (dimsEqual(last, length)) return { dtype: value.dtype, shape: [last], data: value.data };
  return last === 1 && typeof length === 'number' ? filled(value, length) : undefined;
}

/**
 * The name of a rank-1 value `[length]` equal to `name` broadcast over the
 * last axis: `name` itself when it already is one, else a new constant
 * (only constants are reshaped). Undefined when neither works.
 */
export function vectorParameter(graph: Graph, name: string, length: Dim): string | undefined {
  const shape = graph.typeOf(name).shape;
  if (shape.length === 1 && dimsEqual(shape[0], length)) return name;
  const value = constantValues(graph).get(name);
  const vector = value && constantAsVector(value, length);
  return vector ? insertConstant(graph, vector, `${name}_vector`) : undefined;
}
