/**
 * What a planner sees of one node: the graph, the node, the graph's
 * constants and the node's inference context (the readers its op's shape
 * inference uses: attributes with their defaults, compile-time contents of
 * inputs, validated sizes). Plans are backend-neutral, so their errors name
 * the node and what the plan needed, not a backend.
 */
import {
  inferContextOf,
  nodeLocation,
  UnsupportedError,
  type Dim,
  type DType,
  type Graph,
  type InferContext,
  type Node,
  type Tensor,
} from '@ladon/ir';

/** The context of planning one node. */
export class PlanContext {
  /** The node's inference context (attributes, input types, compile-time contents). */
  readonly infer: InferContext;

  constructor(
    readonly graph: Graph,
    readonly node: Node,
    readonly constants: ReadonlyMap<string, Tensor>,
  ) {
    this.infer = inferContextOf(graph, node, constants);
  }

  /** The symbolic shape of a value. */
  shape(value: string): readonly Dim[] {
    return this.graph.typeOf(value).shape;
  }

  /** The dtype of a value. */
  dtype(value: string): DType {
    return this.graph.typeOf(value).dtype;
  }

  /** The constant tensor of a value, if it is one. */
  constant(value: string): Tensor | undefined {
    return this.constants.get(value);
  }

  /** The compile-time contents of input `slot` (a constant or symbolically known), or undefined when absent or unknown. */
  staticInts(slot: number): readonly Dim[] | undefined {
    if (!this.node.inputs[slot]) return undefined;
    const known = this.infer.known(slot);
    return known && known.every((dim) => dim !== '?') ? known : undefined;
  }

  /** Like {@link staticInts}, but an UnsupportedError naming the node when the contents are not known. */
  requireStaticInts(slot: number, role: string): readonly Dim[] {
    const values = this.staticInts(slot);
    if (values) return values;
    const value = this.node.inputs[slot];
    throw this.unsupported(`the ${role} %${value} must be known at compile time`, value);
  }

  /** Like {@link requireStaticInts}, but every entry must be a number. */
  requireStaticNumbers(slot: number, role: string): readonly number[] {
    const values = this.requireStaticInts(slot, role);
    if (values.every((dim): dim is number => typeof dim === 'number')) return values;
    const value = this.node.inputs[slot];
    throw this.unsupported(`the ${role} %${value} must be plain numbers at compile time, got [${values.join(', ')}]`, value);
  }

  /** A static number for a dim a kernel must bake in, or an UnsupportedError naming the node. */
  staticDim(dim: Dim, what: string): number {
    if (typeof dim === 'number') return dim;
    throw this.unsupported(`${what} must be static, but it is '${dim}'`);
  }

  /** An UnsupportedError naming the node (and a tensor). */
  unsupported(message: string, value?: string): UnsupportedError {
    return new UnsupportedError(`cannot lower ${this.node.op}: ${message}`, nodeLocation(this.node, value));
  }
}
