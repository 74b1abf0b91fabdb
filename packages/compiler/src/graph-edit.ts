/**
 * In-place graph editing for passes: add a node (types inferred on the
 * spot), add a constant, redirect every use of one value to another, and
 * remove nodes nobody reads (dead-code elimination).
 */
import {
  constantValues,
  GraphError,
  inferNode,
  knownFromTensor,
  type Attributes,
  type Graph,
  type Node,
  type Tensor,
  type ValueFacts,
} from '@ladon/ir';

/** Where a new node goes: before `before` (which must come after all its inputs), or at the end. */
export interface InsertOptions {
  readonly before?: Node;
  /** A base for the output names (default: the op name in lower case). */
  readonly name?: string;
  /** How many outputs, or which optional output slots are wanted (default 1). */
  readonly outputs?: number | readonly boolean[];
}

/** Facts about a value for inference: its type, known symbolic contents, constant tensor. */
export function factsOf(graph: Graph, name: string, constants?: ReadonlyMap<string, Tensor>): ValueFacts | undefined {
  if (!name) return undefined;
  const value = graph.values.get(name);
  if (!value) throw new GraphError(`value %${name} is not defined`, { tensor: name });
  const constant = (constants ?? constantValues(graph)).get(name);
  return { type: value.type, known: value.known ?? (constant ? knownFromTensor(constant) : undefined), constant };
}

/** Adds a node whose inputs already exist; returns its output value names ('' for unwanted slots). */
export function insertNode(graph: Graph, op: string, inputs: readonly string[], attrs: Attributes = {}, options: InsertOptions = {}): string[] {
  const wanted = typeof options.outputs === 'number' ? new Array<boolean>(options.outputs).fill(true) : [...(options.outputs ?? [true])];
  const base = options.name ?? op.toLowerCase();
  const claimed = new Set<string>();
  const outputs = wanted.map((want) => {
    if (!want) return '';
    const name = claimName(graph, base, claimed);
    claimed.add(name);
    return name;
  });
  const node: Node = { op, inputs: [...inputs], outputs, attrs };
  const constants = constantValues(graph);
  const inference = inferNode(node, node.inputs.map((input) => factsOf(graph, input, constants)));
  outputs.forEach((output, index) => {
    if (!output) return;
    const type = inference.types[index];
    if (!type) throw new GraphError(`${op} does not produce output ${index} here`, { op });
    graph.values.set(output, { name: output, type, ...(index === 0 && inference.known ? { known: inference.known } : {}) });
  });
  const position = options.before ? graph.nodes.indexOf(options.before) : -1;
  if (position >= 0) graph.nodes.splice(position, 0, node);
  else graph.nodes.push(node);
  return outputs;
}

/** Adds a single-output node and returns its output. */
export function insertOp(graph: Graph, op: string, inputs: readonly string[], attrs: Attributes = {}, options: InsertOptions = {}): string {
  return insertNode(graph, op, inputs, attrs, { ...options, outputs: 1 })[0];
}

/** Adds an initializer and returns its name. */
export function insertConstant(graph: Graph, value: Tensor, name = 'const'): string {
  const claimed = claimName(graph, name);
  graph.values.set(claimed, { name: claimed, type: { dtype: value.dtype, shape: [...value.shape] }, known: knownFromTensor(value) });
  graph.initializers.set(claimed, value);
  return claimed;
}

/**
 * Makes every reader of `from` read `to` instead. When `from` is a graph
 * output, the output keeps its name: `to` is renamed to it if a node
 * produces `to` and nothing else names it; otherwise an Identity carries it.
 */
export function replaceAllUses(graph: Graph, from: string, to: string): void {
  if (from === to) return;
  for (const node of graph.nodes) node.inputs = node.inputs.map((input) => (input === from ? to : input));
  if (!graph.outputs.includes(from)) return;
  const producer = graph.nodes.find((node) => node.outputs.includes(to));
  const renamable = producer && !graph.outputs.includes(to) && !graph.inputs.includes(to);
  const oldProducer = graph.nodes.find((node) => node.outputs.includes(from));
  if (oldProducer) oldProducer.outputs = oldProducer.outputs.map((output) => (output === from ? '' : output));
  if (renamable) {
    const value = graph.values.get(to)!;
    graph.values.set(from, { ...value, name: from });
    graph.values.delete(to);
    producer.outputs = producer.outputs.map((output) => (output === to ? from : output));
    for (const node of graph.nodes) node.inputs = node.inputs.map((input) => (input === to ? from : input));
    return;
  }
  graph.nodes.push({ op: 'Identity', inputs: [to], outputs: [from], attrs: {} });
}

/**
 * Removes nodes none of whose outputs are read or are graph outputs
 * (repeatedly), then unused values and initializers. Returns how many nodes went.
 */
export function removeDeadNodes(graph: Graph): number {
  const before = graph.nodes.length;
  const live = new Set(graph.outputs);
  const kept: Node[] = [];
  for (let index = graph.nodes.length - 1; index >= 0; index--) {
    const node = graph.nodes[index];
    if (!node.outputs.some((output) => output && live.has(output))) continue;
    node.outputs = node.outputs.map((output, slot) => (slot > 0 && output && !live.has(output) && isOptionalOutput(node, slot) ? '' : output));
    for (const input of node.inputs) if (input) live.add(input);
    kept.push(node);
  }
  graph.nodes = kept.reverse();
  for (const input of graph.inputs) live.add(input);
  for (const node of kept) for (const output of node.outputs) if (output) live.add(output); // unread outputs of a live node keep their types
  for (const name of [...graph.values.keys()]) if (!live.has(name)) graph.values.delete(name);
  for (const name of [...graph.initializers.keys()]) if (!live.has(name)) graph.initializers.delete(name);
  return before - graph.nodes.length;
}

const OPTIONAL_OUTPUT_OPS = new Set(['Attention', 'LayerNormalization']);

function isOptionalOutput(node: Node, slot: number): boolean {
  return OPTIONAL_OUTPUT_OPS.has(node.op) && slot > 0;
}

function claimName(graph: Graph, base: string, taken: ReadonlySet<string> = new Set()): string {
  const clean = base.replace(/[^A-Za-z0-9_.]/g, '_') || 't';
  if (!graph.values.has(clean) && !taken.has(clean)) return clean;
  for (let i = 0; ; i++) {
    const candidate = `${clean}_${i}`;
    if (!graph.values.has(candidate) && !taken.has(candidate)) return candidate;
  }
}
