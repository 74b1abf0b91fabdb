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
import type { RuntimeValues } from '../runtime/runtime-values.js';

/** The context of planning one node. */
export class PlanContext {
  /** The node's inference context (attributes, input types, compile-time contents). */
  readonly infer: InferContext;

  constructor(
    readonly graph: Graph,
    readonly node: Node,
    readonly constants: ReadonlyMap<string, Tensor>,
    /** What the lowering knows about values that arrive at run time (none when absent). */
    readonly runtime?: RuntimeValues,
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

  /**
   * Like {@link staticInts}, but an error naming the node when the contents
   * are not known: a RuntimeValueError when they arrive at run time (a
   * session that can compile specialises on them), else an UnsupportedError.
   */
  requireStaticInts(slot: number, role: string): readonly Dim[] {
    const values = this.staticInts(slot);
    if (values) return values;
    const value = this.node.inputs[slot];
    if (this.runtime?.isRuntime(value)) throw this.runtime.needsValue(this.node, value, role);
    throw this.unsupported(`the ${role} %${value} must be known at compile time`, value);
  }

  /**
   * The contents of input `slot` as dims a kernel takes as arguments: the
   * compile-time contents, else symbols the host binds to the entries when
   * they arrive at run time; undefined when absent.
   */
  runtimeInts(slot: number, role: string): readonly Dim[] | undefined {
    const value = this.node.inputs[slot];
    if (!value) return undefined;
    return this.staticInts(slot) ?? this.runtime?.entrySymbols(value) ?? this.requireStaticInts(slot, role);
  }

  /** Like {@link requireStaticInts}, but every entry must be a number. */
  requireStaticNumbers(slot: number, role: string): readonly number[] {
    const values = this.requireStaticInts(slot, role);
    if (values.every((dim): dim is number => typeof dim === 'number')) return values;
    const value = this.node.inputs[slot];
    throw this.unsupported(`the ${role} %${value} must be plain numbers at compile time, got [${values.join(', ')}]`, value);
  }

  /**
   * The constant value of input `slot` (a control value such as a flag or a
   * ratio that decides what kernels run); a RuntimeValueError when it
   * arrives at run time, an UnsupportedError when the device computes it.
   */
  requireConstant(slot: number, role: string): Tensor {
    const value = this.node.inputs[slot];
    const constant = this.constants.get(value);
    if (constant) return constant;
    if (this.runtime?.isRuntime(value)) throw this.runtime.needsValue(this.node, value, role);
    throw this.unsupported(`the ${role} %${value} must be known at compile time`, value);
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
