/**
 * What the CBAM matchers look up while walking a graph backwards: who
 * produces a value, who reads it, which values are constants, and how to
 * see through ops that only change a tensor's shape (a Reshape of a pooled
 * vector back to [N, C, 1, 1], a Flatten before a Linear, an expand_as).
 */
import { constantValues, numericValues, type Graph, type Node, type Tensor } from '@ladon/ir';

/** Ops that keep a tensor's values and their order (or only broadcast them): the matchers look through them. */
const SHAPE_OPS = new Set(['Reshape', 'Unsqueeze', 'Squeeze', 'Flatten', 'Identity', 'Expand']);

/** Lookups over one graph (rebuilt after every rewrite). */
export class GraphIndex {
  readonly producers: ReadonlyMap<string, Node>;
  readonly consumers: ReadonlyMap<string, Node[]>;
  readonly constants: ReadonlyMap<string, Tensor>;

  constructor(readonly graph: Graph) {
    this.producers = graph.producers();
    this.consumers = graph.consumers();
    this.constants = constantValues(graph);
  }

  /** The node producing `value` when it is op `op` (any op when omitted). */
  producer(value: string, op?: string | readonly string[]): Node | undefined {
    const node = this.producers.get(value);
    if (!node || op === undefined) return node;
    return (typeof op === 'string' ? op === node.op : op.includes(node.op)) ? node : undefined;
  }

  /** The constant's values as f64, or undefined when `value` is not a constant. */
  constantValues(value: string | undefined): Float64Array | undefined {
    const tensor = value ? this.constants.get(value) : undefined;
    return tensor ? Float64Array.from(numericValues(tensor)) : undefined;
  }

  /** The constant's integer contents, or undefined. */
  constantInts(value: string | undefined): number[] | undefined {
    const values = this.constantValues(value);
    return values ? Array.from(values) : undefined;
  }

  /** The nodes reading `value`. */
  readers(value: string): readonly Node[] {
    return this.consumers.get(value) ?? [];
  }

  /** The static shape of a value, or undefined when a dim other than the first (the batch) is symbolic. */
  shape(value: string): readonly (number | string)[] {
    return this.graph.typeOf(value).shape;
  }
}

/** The value `value` is a reshaped (or broadcast) view of, and the shape ops passed on the way. */
export function throughShapeOps(index: GraphIndex, value: string): { source: string; nodes: Node[] } {
  const nodes: Node[] = [];
  let current = value;
  for (let node = index.producer(current); node && SHAPE_OPS.has(node.op); node = index.producer(current)) {
    nodes.push(node);
    current = node.inputs[0];
  }
  return { source: current, nodes };
}

/** The node's axes (attribute, or constant second input), normalised for a rank-`rank` input; undefined when not static. */
export function axesOf(index: GraphIndex, node: Node, rank: number): number[] | undefined {
  const raw = node.attrs.axes ?? index.constantInts(node.inputs[1]);
  if (!Array.isArray(raw)) return undefined;
  return (raw as number[]).map((axis) => (axis < 0 ? axis + rank : axis)).sort((a, b) => a - b);
}
