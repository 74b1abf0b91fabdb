/**
 * Which values the host computes when the feeds arrive. A value whose
 * contents a node needs at compile time (an input on a `static` port: a
 * Reshape's target, Slice bounds, Range's operands...) but that is neither
 * a constant nor known from the shapes comes from the feeds: the host
 * evaluates it, with the reference semantics, from the feeds, the shapes and
 * the constants. So do the inputs of ops whose output shape depends on
 * their contents (NonZero). The closure walks back from those values to the
 * graph inputs; a value the device computes and the host cannot (a float
 * tensor of any size, an op's result on the device) is an UnsupportedError
 * naming the node that needed it.
 */
import { getOpDef, inputPort, isIntDType, nodeLabel, nodeLocation, UnsupportedError, type Graph, type Node, type Tensor } from '@ladon/ir';
import { isStaticInput } from '../demand.js';

/** Values of at most this many elements (rank <= 1, static length) are small enough for the host in any dtype. */
const SMALL_VALUE_ELEMENTS = 64;

/** Where the host gets a value it reads. */
export type HostSource = 'constant' | 'known' | 'feed' | 'node';

/** True when `value`'s contents are known at compile time (a constant, or every entry known symbolically). */
export function contentsKnown(graph: Graph, value: string, constants: ReadonlyMap<string, Tensor>): boolean {
  if (constants.has(value)) return true;
  const known = graph.values.get(value)?.known;
  return known !== undefined && known.every((dim) => dim !== '?') && !graph.inputs.includes(value);
}

/** The host's view of which values it computes and which nodes it evaluates. */
export interface HostClosure {
  /** Nodes the host evaluates (in graph order). */
  readonly evaluated: ReadonlySet<Node>;
  /** Values on static ports of running nodes whose contents arrive at run time. */
  readonly runtimeStatic: ReadonlySet<string>;
  /** Where the host gets each value it reads. */
  readonly sources: ReadonlyMap<string, HostSource>;
}

/** True when the host may evaluate `node`: every output is an integer or bool tensor, or a small 0-d/1-d one. */
function hostSized(graph: Graph, node: Node): boolean {
  return node.outputs.every((output) => {
    if (!output) return true;
    const { dtype, shape } = graph.typeOf(output);
    if (isIntDType(dtype) || dtype === 'bool') return true;
    return shape.length === 0 || (shape.length === 1 && typeof shape[0] === 'number' && shape[0] <= SMALL_VALUE_ELEMENTS);
  });
}

/** Computes the host closure for the nodes that run on the device. */
export function hostClosure(graph: Graph, running: readonly Node[], constants: ReadonlyMap<string, Tensor>): HostClosure {
  const producers = graph.producers();
  const sources = new Map<string, HostSource>();
  const evaluated = new Set<Node>();
  const runtimeStatic = new Set<string>();
  const require = (value: string, neededBy: Node, why: string): void => {
    if (!value || sources.has(value)) return;
    if (constants.has(value)) return void sources.set(value, 'constant');
    if (contentsKnown(graph, value, constants)) return void sources.set(value, 'known');
    if (graph.inputs.includes(value)) return void sources.set(value, 'feed');
    const producer = producers.get(value);
    if (!producer || !hostSized(graph, producer)) throw deviceOnly(graph, value, producer, neededBy, why);
    sources.set(value, 'node');
    evaluated.add(producer);
    for (const input of producer.inputs) require(input, neededBy, why);
  };
  for (const node of running) {
    node.inputs.forEach((input, slot) => {
      if (!input || !isStaticInput(node, slot) || contentsKnown(graph, input, constants)) return;
      runtimeStatic.add(input);
      require(input, node, `its ${inputPort(getOpDef(node.op), slot)?.name ?? 'input'} %${input} arrives at run time`);
    });
    if (getOpDef(node.op).dataDependentShape) {
      for (const input of node.inputs) require(input, node, `its output size depends on the contents of %${input}`);
      evaluated.add(node);
      for (const output of node.outputs) if (output) sources.set(output, 'node');
    }
  }
  return { evaluated, runtimeStatic, sources };
}

function deviceOnly(graph: Graph, value: string, producer: Node | undefined, neededBy: Node, why: string): UnsupportedError {
  const type = graph.values.get(value)?.type;
  const what = producer ? `computed by ${producer.op} ${nodeLabel(producer)}` : 'not defined';
  const typeText = type ? ` (${type.dtype}[${type.shape.join(', ')}])` : '';
  return new UnsupportedError(
    `${why}, and it depends on %${value}${typeText}, ${what}: Ladon evaluates such values on the host only from the inputs, their shapes, constants and small integer computations`,
    nodeLocation(neededBy, value),
  );
}
