/**
 * The graph builder. Each call adds one input, constant or node and infers
 * its type on the spot, so a mistake throws a typed error at the line that
 * made it:
 *
 * ```ts
 * const g = new GraphBuilder('scores');
 * const q = g.input('q', 'f32', ['batch', 12, 'seq', 64]);
 * const k = g.input('k', 'f32', ['batch', 12, 'seq', 64]);
 * const kt = g.op('Transpose', [k], { perm: [0, 1, 3, 2] });
 * g.output(g.op('MatMul', [q, kt]), 'scores');
 * const graph = g.build();
 * ```
 */
import { isValidDim, normalizeDim, type Dim } from './dim.js';
import type { DType } from './dtype.js';
import { DuplicateValueError, GraphError, ShapeError } from './errors.js';
import { Graph, type Attributes, type Node } from './graph.js';
import { inferNode } from './infer.js';
import { formatShape, type TensorType } from './shape.js';
import { tensor, type Tensor } from './tensor.js';
import { constantValues, valueFacts, verifyGraph } from './verify.js';

/** A handle to a value in the graph being built. */
export interface ValueRef {
  readonly name: string;
  readonly type: TensorType;
}

/** Builds a {@link Graph} one value at a time. */
export class GraphBuilder {
  private readonly graph: Graph;
  private readonly constants = new Map<string, Tensor>();
  private counter = 0;

  constructor(name = 'main') {
    this.graph = new Graph(name);
  }

  /** Declares a graph input. Dims are numbers or symbols (`'batch'`). */
  input(name: string, dtype: DType, shape: readonly Dim[]): ValueRef {
    this.claim(name);
    const bad = shape.find((dim) => !isValidDim(dim));
    if (bad !== undefined) throw new ShapeError(`input %${name}: invalid dim ${JSON.stringify(bad)} in ${formatShape(shape)}`, { tensor: name });
    const type: TensorType = { dtype, shape: shape.map(normalizeDim) };
    this.graph.values.set(name, { name, type });
    this.graph.inputs.push(name);
    return { name, type };
  }

  /** Adds a constant tensor (an initializer, e.g. a weight). */
  constant(value: Tensor, name?: string): ValueRef {
    const valueName = name ?? this.nextName('c');
    this.claim(valueName);
    const type: TensorType = { dtype: value.dtype, shape: [...value.shape] };
    this.graph.values.set(valueName, { name: valueName, type });
    this.graph.initializers.set(valueName, value);
    this.constants.set(valueName, value);
    return { name: valueName, type };
  }

  /** A 1-D i64 constant (shapes, axes, starts/ends). */
  ints(values: readonly number[], name?: string): ValueRef {
    return this.constant(tensor('i64', [values.length], values), name);
  }

  /** A 0-d constant of `dtype` (default f32). */
  scalar(value: number, dtype: DType = 'f32', name?: string): ValueRef {
    return this.constant(tensor(dtype, [], [value]), name);
  }

  /** Adds a single-output node and returns its output. `undefined` inputs are omitted optional inputs. */
  op(op: string, inputs: readonly (ValueRef | undefined)[], attrs: Attributes = {}, name?: string): ValueRef {
    const [output] = this.opMulti(op, inputs, attrs, 1, name);
    return output!;
  }

  /**
   * Adds a node with several outputs. `outputs` is a count, or one boolean
   * per output slot saying whether that optional output is wanted; unwanted
   * slots come back as `undefined`.
   */
  opMulti(
    op: string,
    inputs: readonly (ValueRef | undefined)[],
    attrs: Attributes = {},
    outputs: number | readonly boolean[] = 1,
    name?: string,
  ): (ValueRef | undefined)[] {
    const wanted = typeof outputs === 'number' ? new Array<boolean>(outputs).fill(true) : [...outputs];
    while (wanted.length > 1 && !wanted[wanted.length - 1]) wanted.pop();
    for (const input of inputs) {
      if (input && !this.graph.values.has(input.name)) {
        throw new GraphError(`${op}: input %${input.name} does not belong to this builder's graph`, { op, tensor: input.name });
      }
    }
    const node: Node = {
      op,
      inputs: inputs.map((input) => input?.name ?? ''),
      outputs: wanted.map((want) => (want ? this.nextName() : '')),
      attrs,
      ...(name ? { name } : {}),
    };
    const facts = node.inputs.map((input) => valueFacts(this.graph, input, this.constants));
    const inference = inferNode(node, facts);
    const refs = node.outputs.map((output, index): ValueRef | undefined => {
      if (!output) return undefined;
      const type = inference.types[index];
      if (!type) throw new GraphError(`${op} does not produce output ${index} with these inputs and attributes`, { op });
      this.graph.values.set(output, { name: output, type, ...(index === 0 && inference.known ? { known: inference.known } : {}) });
      return { name: output, type };
    });
    this.graph.nodes.push(node);
    if (op === 'Constant' && node.outputs[0]) {
      const value = constantValues(this.graph).get(node.outputs[0]);
      if (value) this.constants.set(node.outputs[0], value);
    }
    return refs;
  }

  /**
   * Marks `value` as a graph output, renaming it to `name` if given. Refs to
   * the old name go stale, so name outputs after the nodes that read them.
   */
  output(value: ValueRef, name?: string): ValueRef {
    let outputName = value.name;
    if (name && name !== value.name) {
      this.rename(value.name, name);
      outputName = name;
    }
    this.graph.outputs.push(outputName);
    return { name: outputName, type: value.type };
  }

  /** Verifies and returns the graph. The builder should not be used afterwards. */
  build(): Graph {
    verifyGraph(this.graph);
    return this.graph;
  }

  private rename(from: string, to: string): void {
    this.claim(to);
    if (this.graph.inputs.includes(from) || this.graph.initializers.has(from)) {
      throw new GraphError(`cannot rename %${from} to %${to}: graph inputs and constants keep their names`, { tensor: from });
    }
    const value = this.graph.values.get(from)!;
    this.graph.values.delete(from);
    this.graph.values.set(to, { ...value, name: to });
    for (const node of this.graph.nodes) {
      node.inputs = node.inputs.map((input) => (input === from ? to : input));
      node.outputs = node.outputs.map((output) => (output === from ? to : output));
    }
    this.graph.outputs = this.graph.outputs.map((output) => (output === from ? to : output));
  }

  private claim(name: string): void {
    if (!name) throw new GraphError('value names must not be empty');
    if (this.graph.values.has(name)) throw new DuplicateValueError(`value %${name} is already defined`, { tensor: name });
  }

  private nextName(prefix = ''): string {
    for (;;) {
      const candidate = `${prefix}${this.counter++}`;
      if (!this.graph.values.has(candidate)) return candidate;
    }
  }
}
