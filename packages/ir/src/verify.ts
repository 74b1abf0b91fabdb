/**
 * The verifier: a graph is valid when every value is defined once, nodes are
 * in topological order (no cycles), every op is known and its node matches
 * the op's schema, and re-running type inference agrees with the declared
 * type of every value. It also refreshes the symbolic contents (`known`) of
 * shape values, which later passes and the printer rely on.
 */
import { dimsCompatible, isUnknownDim } from './dim.js';
import {
  CycleError,
  DTypeError,
  DuplicateValueError,
  GraphError,
  ShapeError,
  UndefinedValueError,
} from './errors.js';
import { nodeLabel, nodeLocation, type Graph, type Node } from './graph.js';
import { inferNode, knownFromTensor, type ValueFacts } from './infer.js';
import { InferContext } from './op-def.js';
import { getOpDef } from './registry.js';
import { formatType, type TensorType } from './shape.js';
import { describeTensorProblem, type Tensor } from './tensor.js';

/** Options for {@link verifyGraph}. */
export interface VerifyOptions {
  /**
   * When true (the default), values whose declared dims are unknown (`?`)
   * take the inferred dims. The declared type is never loosened.
   */
  readonly refineTypes?: boolean;
}

/** Checks the whole graph; throws the first problem as a typed LadonError. */
export function verifyGraph(graph: Graph, options: VerifyOptions = {}): void {
  const defined = collectDefinitions(graph);
  checkOrder(graph, defined);
  const constants = constantValues(graph);
  for (const node of graph.nodes) verifyNode(graph, node, constants, options.refineTypes ?? true);
  graph.outputs.forEach((output, index) => {
    if (!defined.has(output)) {
      throw new UndefinedValueError(`graph output ${index} %${output} is not defined by any input, initializer or node`, {
        tensor: output,
      });
    }
  });
}

/** The facts inference needs about a value: type, symbolic contents, constant tensor. */
export function valueFacts(graph: Graph, name: string, constants: ReadonlyMap<string, Tensor>): ValueFacts | undefined {
  if (!name) return undefined;
  const value = graph.values.get(name);
  if (!value) return undefined;
  const constant = constants.get(name);
  const known = value.known ?? (constant ? knownFromTensor(constant) : undefined);
  return { type: value.type, known, constant };
}

/**
 * The inference context of a node of `graph`: its input types, symbolic
 * contents and constants, as verification saw them. Lowerings plan a node
 * with the same readers its op's inference uses (attributes with defaults,
 * compile-time inputs, validated sizes such as `inferAttentionDims`).
 */
export function inferContextOf(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor> = constantValues(graph)): InferContext {
  const facts = node.inputs.map((input) => valueFacts(graph, input, constants));
  return new InferContext(
    node,
    getOpDef(node.op, nodeLocation(node)),
    facts.map((fact) => fact?.type),
    facts.map((fact) => fact?.known),
    facts.map((fact) => fact?.constant),
  );
}

/** Initializers plus outputs of `Constant` nodes that carry a tensor `value`. */
export function constantValues(graph: Graph): Map<string, Tensor> {
  const constants = new Map(graph.initializers);
  for (const node of graph.nodes) {
    const value = node.attrs.value;
    if (node.op === 'Constant' && node.outputs[0] && value && typeof value === 'object' && 'dtype' in value) {
      constants.set(node.outputs[0], value as Tensor);
    }
  }
  return constants;
}

function collectDefinitions(graph: Graph): Map<string, string> {
  const defined = new Map<string, string>();
  const define = (name: string, by: string): void => {
    if (!name) return;
    const previous = defined.get(name);
    if (previous) throw new DuplicateValueError(`value %${name} is defined twice: by ${previous} and by ${by}`, { tensor: name });
    if (!graph.values.has(name)) throw new GraphError(`value %${name} (defined by ${by}) has no type`, { tensor: name });
    defined.set(name, by);
  };
  graph.inputs.forEach((name) => define(name, 'a graph input'));
  for (const [name, value] of graph.initializers) {
    define(name, 'an initializer');
    checkInitializer(graph, name, value);
  }
  for (const node of graph.nodes) for (const output of node.outputs) define(output, `node ${nodeLabel(node)} (${node.op})`);
  return defined;
}

function checkInitializer(graph: Graph, name: string, value: Tensor): void {
  const problem = describeTensorProblem(value);
  if (problem) throw new GraphError(`initializer %${name}: ${problem}`, { tensor: name });
  const declared = graph.values.get(name)!.type;
  const actual: TensorType = { dtype: value.dtype, shape: value.shape };
  if (!typesCompatible(declared, actual)) {
    throw new ShapeError(`initializer %${name} is declared ${formatType(declared)} but holds ${formatType(actual)}`, { tensor: name });
  }
}

function checkOrder(graph: Graph, defined: ReadonlyMap<string, string>): void {
  const available = new Set<string>([...graph.inputs, ...graph.initializers.keys()]);
  for (const node of graph.nodes) {
    node.inputs.forEach((input, index) => {
      if (!input || available.has(input)) return;
      if (!defined.has(input)) {
        throw new UndefinedValueError(`input ${index} %${input} is not defined by any input, initializer or node`, nodeLocation(node, input));
      }
      const cycle = findCycle(graph);
      if (cycle) {
        throw new CycleError(`nodes form a cycle: ${cycle.map(nodeLabel).join(' -> ')} -> ${nodeLabel(cycle[0])}`, nodeLocation(cycle[0]));
      }
      throw new GraphError(`input ${index} %${input} is used before the node that defines it (nodes are not in topological order)`, nodeLocation(node, input));
    });
    for (const output of node.outputs) if (output) available.add(output);
  }
}

/** A cycle of nodes, if the graph has one (nodes in dependency order). */
export function findCycle(graph: Graph): Node[] | undefined {
  const producers = graph.producers();
  const state = new Map<Node, 'visiting' | 'done'>();
  const stack: Node[] = [];
  const visit = (node: Node): Node[] | undefined => {
    const current = state.get(node);
    if (current === 'done') return undefined;
    if (current === 'visiting') return stack.slice(stack.indexOf(node));
    state.set(node, 'visiting');
    stack.push(node);
    for (const input of node.inputs) {
      const producer = input ? producers.get(input) : undefined;
      const cycle = producer ? visit(producer) : undefined;
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.nodes) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function verifyNode(graph: Graph, node: Node, constants: ReadonlyMap<string, Tensor>, refine: boolean): void {
  const facts = node.inputs.map((input) => valueFacts(graph, input, constants));
  const inference = inferNode(node, facts);
  node.outputs.forEach((output, index) => {
    if (!output) return;
    const inferred = inference.types[index];
    const value = graph.values.get(output)!;
    if (!inferred) throw new GraphError(`output ${index} %${output} is not produced by ${node.op} in this configuration`, nodeLocation(node, output));
    if (inferred.dtype !== value.type.dtype) {
      throw new DTypeError(`%${output} is declared ${formatType(value.type)} but ${node.op} produces ${formatType(inferred)}`, nodeLocation(node, output));
    }
    if (!typesCompatible(value.type, inferred)) {
      throw new ShapeError(`%${output} is declared ${formatType(value.type)} but ${node.op} produces ${formatType(inferred)}`, nodeLocation(node, output));
    }
    if (refine) value.type = refineType(value.type, inferred);
    if (index === 0) value.known = inference.known;
  });
}

/** True when the two types could describe the same tensor. */
export function typesCompatible(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((dim, axis) => dimsCompatible(dim, b.shape[axis]));
}

function refineType(declared: TensorType, inferred: TensorType): TensorType {
  if (!declared.shape.some(isUnknownDim)) return declared;
  return { dtype: declared.dtype, shape: declared.shape.map((dim, axis) => (isUnknownDim(dim) ? inferred.shape[axis] : dim)) };
}
