/**
 * The reference interpreter: runs a verified graph on concrete tensors by
 * calling each op's reference semantics in order. It is the living
 * definition of what a graph means; every backend is compared with it.
 */
import type { DType } from './dtype.js';
import { EvalError, FeedError, LadonError } from './errors.js';
import { nodeLocation, type Graph, type Node } from './graph.js';
import { EvalContext } from './op-def.js';
import { getOpDef } from './registry.js';
import { bindShape, formatShape } from './shape.js';
import { describeTensorProblem, type Tensor } from './tensor.js';

/** Options for {@link interpret}. */
export interface InterpretOptions {
  /** Extra values to return besides the graph outputs (e.g. attention weights inside the graph). */
  readonly fetch?: readonly string[];
  /** Called after each node with its outputs (for tracing and debugging). */
  readonly onNode?: (node: Node, outputs: readonly (Tensor | undefined)[]) => void;
}

/** Runs `graph` on `feeds` (by input name) and returns the outputs (by output name). */
export function interpret(graph: Graph, feeds: Readonly<Record<string, Tensor>>, options: InterpretOptions = {}): Record<string, Tensor> {
  const bindings = checkFeeds(graph, feeds);
  const env = new Map<string, Tensor>(graph.initializers);
  for (const name of graph.inputs) env.set(name, feeds[name]);
  const keep = new Set([...graph.outputs, ...(options.fetch ?? [])]);
  const lastUse = lastUses(graph);
  graph.nodes.forEach((node, position) => {
    const outputs = runNode(node, node.inputs.map((input) => (input ? env.get(input) : undefined)));
    node.outputs.forEach((output, index) => {
      if (!output) return;
      const value = outputs[index];
      if (!value) throw new EvalError(`${node.op} did not produce output ${index} %${output}`, nodeLocation(node, output));
      checkProduced(graph, node, output, value, bindings);
      env.set(output, value);
    });
    options.onNode?.(node, outputs);
    for (const input of node.inputs) if (input && lastUse.get(input) === position && !keep.has(input) && !graph.initializers.has(input)) env.delete(input);
  });
  const result: Record<string, Tensor> = {};
  for (const name of keep) {
    const value = env.get(name);
    if (!value) throw new FeedError(`value %${name} was requested but the graph does not compute it`, { tensor: name });
    result[name] = value;
  }
  return result;
}

/** Evaluates one node on concrete inputs, wrapping unexpected failures with the node's location. */
export function runNode(node: Node, inputs: readonly (Tensor | undefined)[]): (Tensor | undefined)[] {
  const def = getOpDef(node.op, nodeLocation(node));
  try {
    return def.evaluate(new EvalContext(node, def, inputs));
  } catch (error) {
    if (error instanceof LadonError) throw error;
    throw new EvalError(`${node.op} failed: ${(error as Error).message}`, nodeLocation(node));
  }
}

function checkFeeds(graph: Graph, feeds: Readonly<Record<string, Tensor>>): Map<string, number> {
  for (const name of Object.keys(feeds)) {
    if (!graph.inputs.includes(name)) {
      throw new FeedError(`feed '${name}' matches no graph input (inputs: ${graph.inputs.join(', ') || 'none'})`, { tensor: name });
    }
  }
  const bindings = new Map<string, number>();
  for (const name of graph.inputs) {
    const value = feeds[name];
    const declared = graph.typeOf(name);
    if (!value) throw new FeedError(`missing feed for input '${name}' (${declared.dtype}${formatShape(declared.shape)})`, { tensor: name });
    if (value.dtype !== declared.dtype) {
      throw new FeedError(`input '${name}' expects dtype ${declared.dtype}, got ${value.dtype}`, { tensor: name });
    }
    const problem = describeTensorProblem(value) ?? bindShape(declared.shape, value.shape, bindings);
    if (problem) throw new FeedError(`input '${name}': ${problem}`, { tensor: name });
  }
  return bindings;
}

function checkProduced(graph: Graph, node: Node, output: string, value: Tensor, bindings: Map<string, number>): void {
  const declared = graph.typeOf(output);
  if (value.dtype !== declared.dtype) throw wrongResult(node, output, `dtype ${value.dtype}`, declared.dtype);
  const problem = describeTensorProblem(value) ?? bindShape(declared.shape, value.shape, bindings);
  if (problem) throw wrongResult(node, output, problem, formatShape(declared.shape));
}

function wrongResult(node: Node, output: string, actual: string, expected: string | DType): EvalError {
  return new EvalError(`%${output} does not match its declared type ${expected}: ${actual}`, nodeLocation(node, output));
}

function lastUses(graph: Graph): Map<string, number> {
  const last = new Map<string, number>();
  graph.nodes.forEach((node, position) => {
    for (const input of node.inputs) if (input) last.set(input, position);
  });
  return last;
}
