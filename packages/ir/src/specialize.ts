/**
 * Specialising a graph on the values of some of its inputs: those inputs
 * become constants (initializers), so everything computed from them folds
 * at compile time. A session that can compile uses it when a kernel needs
 * a value at compile time that the graph only receives at run time (see
 * RuntimeValueError), compiling one program per distinct value.
 */
import { FeedError } from './errors.js';
import type { Graph } from './graph.js';
import { bindShape, formatShape } from './shape.js';
import { describeTensorProblem, type Tensor } from './tensor.js';

/** A copy of `graph` in which each input named in `values` is a constant holding that value (checked against the input's type). */
export function withInputValues(graph: Graph, values: Readonly<Record<string, Tensor>>): Graph {
  const copy = graph.clone();
  for (const [name, value] of Object.entries(values)) {
    if (!copy.inputs.includes(name)) throw new FeedError(`'${name}' is not an input of graph ${graph.name}`, { tensor: name });
    const declared = copy.typeOf(name);
    if (value.dtype !== declared.dtype) throw new FeedError(`input '${name}' expects dtype ${declared.dtype}, got ${value.dtype}`, { tensor: name });
    const problem = describeTensorProblem(value) ?? bindShape(declared.shape, value.shape, new Map());
    if (problem) throw new FeedError(`input '${name}' (${declared.dtype}${formatShape(declared.shape)}): ${problem}`, { tensor: name });
    copy.inputs = copy.inputs.filter((input) => input !== name);
    copy.initializers.set(name, value);
    copy.values.set(name, { name, type: { dtype: value.dtype, shape: [...value.shape] } });
  }
  return copy;
}
