/**
 * The graph: SSA values named by strings, nodes in topological order, graph
 * inputs and outputs, and initializers (constant tensors such as weights).
 *
 * A value is defined exactly once: as a graph input, an initializer, or a
 * node output. Node inputs refer to values by name; `''` marks an omitted
 * optional input (as in ONNX).
 */
import type { Dim } from './dim.js';
import { UndefinedValueError, type ErrorLocation } from './errors.js';
import type { TensorType } from './shape.js';
import type { Tensor } from './tensor.js';

/** An attribute value. Whether a number is an int or a float comes from the op's schema. */
export type AttrValue = number | string | readonly number[] | readonly string[] | Tensor;

/** A node's attributes by name. */
export type Attributes = Readonly<Record<string, AttrValue>>;

/** One operation in the graph. */
export interface Node {
  /** The op type, e.g. `MatMul` (see the op set). */
  op: string;
  /** Input value names, `''` for an omitted optional input. */
  inputs: string[];
  /** Output value names, `''` for an omitted optional output. */
  outputs: string[];
  /** Attributes by name. */
  attrs: Attributes;
  /** An optional human name (ONNX node name), used in error messages. */
  name?: string;
}

/** A value: its name and static type. `known` holds symbolic contents of small integer tensors (shapes). */
export interface Value {
  readonly name: string;
  type: TensorType;
  /** For small 0-d/1-d integer values whose contents are known symbolically (e.g. `Shape(x)`). */
  known?: readonly Dim[];
}

/** The label of a node in messages: its first output, plus its name if it has one. */
export function nodeLabel(node: Node): string {
  const first = node.outputs.find((output) => output !== '') ?? '?';
  const ref = `%${first}`;
  return node.name && node.name !== first ? `${ref} (${node.name})` : ref;
}

/** The error location of a node. */
export function nodeLocation(node: Node, tensor?: string): ErrorLocation {
  return tensor === undefined ? { node: nodeLabel(node), op: node.op } : { node: nodeLabel(node), op: node.op, tensor };
}

/** How many nodes of each op `graph` has, by op name in sorted order (what `ladon inspect` reports and fusion tests count). */
export function countOps(graph: Graph): Record<string, number> {
  const counts = new Map<string, number>();
  for (const node of graph.nodes) counts.set(node.op, (counts.get(node.op) ?? 0) + 1);
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A tensor-op graph. Mutable so compiler passes can rewrite it in place. */
export class Graph {
  /** The graph's name (from the builder or the ONNX model). */
  name: string;
  /** Names of the graph inputs, in order. */
  inputs: string[] = [];
  /** Names of the graph outputs, in order. */
  outputs: string[] = [];
  /** Constant tensors (weights and folded constants) by value name. */
  initializers = new Map<string, Tensor>();
  /** Every value defined in the graph, by name. */
  values = new Map<string, Value>();
  /** Nodes in topological order. */
  nodes: Node[] = [];

  constructor(name = 'main') {
    this.name = name;
  }

  /** The value with this name, or undefined. */
  value(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** The type of a value; throws if the value is not defined. */
  typeOf(name: string): TensorType {
    const value = this.values.get(name);
    if (!value) throw new UndefinedValueError(`value %${name} is not defined in graph ${this.name}`, { tensor: name });
    return value.type;
  }

  /** A map from value name to the node that produces it. */
  producers(): Map<string, Node> {
    const map = new Map<string, Node>();
    for (const node of this.nodes) for (const output of node.outputs) if (output) map.set(output, node);
    return map;
  }

  /** A map from value name to the nodes that read it (in node order, once per node). */
  consumers(): Map<string, Node[]> {
    const map = new Map<string, Node[]>();
    for (const node of this.nodes) {
      for (const input of new Set(node.inputs)) {
        if (!input) continue;
        const list = map.get(input);
        if (list) list.push(node);
        else map.set(input, [node]);
      }
    }
    return map;
  }

  /** A name not yet used by any value, built from `base`. */
  freshName(base = 't'): string {
    if (!this.values.has(base)) return base;
    for (let i = 0; ; i++) {
      const candidate = `${base}_${i}`;
      if (!this.values.has(candidate)) return candidate;
    }
  }

  /** A deep copy (initializer tensors are shared: they are treated as immutable). */
  clone(): Graph {
    const copy = new Graph(this.name);
    copy.inputs = [...this.inputs];
    copy.outputs = [...this.outputs];
    copy.initializers = new Map(this.initializers);
    for (const [name, value] of this.values) copy.values.set(name, { ...value, type: { ...value.type, shape: [...value.type.shape] } });
    copy.nodes = this.nodes.map((node) => ({ ...node, inputs: [...node.inputs], outputs: [...node.outputs], attrs: { ...node.attrs } }));
    return copy;
  }
}
