/**
 * Node-level type inference over a graph: checks a node's arity and
 * attributes against its op's schema, then runs the op's inference with its
 * input types, constants and symbolically known values.
 */
import type { Dim } from './dim.js';
import { ArityError, AttributeError } from './errors.js';
import { nodeLocation, type AttrValue, type Node } from './graph.js';
import { InferContext, type AttrSpec, type OpDef } from './op-def.js';
import { getOpDef } from './registry.js';
import type { TensorType } from './shape.js';
import type { Tensor } from './tensor.js';

/** What inference knows about one value. */
export interface ValueFacts {
  readonly type: TensorType;
  readonly known?: readonly Dim[];
  readonly constant?: Tensor;
}

/** The result of inferring one node. */
export interface NodeInference {
  /** One type per output slot (undefined for omitted outputs). */
  readonly types: readonly (TensorType | undefined)[];
  /** Symbolic contents of output 0, when the op can tell. */
  readonly known?: readonly Dim[];
}

/** Checks `node` against its op's schema: input/output counts and attributes. */
export function checkNodeSchema(node: Node, def: OpDef = getOpDef(node.op, nodeLocation(node))): void {
  const location = nodeLocation(node);
  const { min: minInputs, max: maxInputs } = portRange(def.inputs);
  if (node.inputs.length < minInputs || node.inputs.length > maxInputs) {
    throw new ArityError(`${node.op} takes ${describeRange(minInputs, maxInputs)} inputs, got ${node.inputs.length}`, location);
  }
  def.inputs.forEach((port, index) => {
    if (!port.optional && !port.variadic && index < node.inputs.length && !node.inputs[index]) {
      throw new ArityError(`input ${index} (${port.name}) is required but missing`, location);
    }
  });
  const { min: minOutputs, max: maxOutputs } = portRange(def.outputs);
  if (node.outputs.length < Math.max(1, minOutputs) || node.outputs.length > maxOutputs) {
    throw new ArityError(`${node.op} has ${describeRange(Math.max(1, minOutputs), maxOutputs)} outputs, got ${node.outputs.length}`, location);
  }
  for (const [name, value] of Object.entries(node.attrs)) {
    const spec = def.attributes[name];
    if (!spec) {
      const known = Object.keys(def.attributes);
      throw new AttributeError(
        `unknown attribute '${name}' (${node.op} has ${known.length ? known.join(', ') : 'no attributes'})`,
        location,
      );
    }
    const problem = attributeProblem(spec, value);
    if (problem) throw new AttributeError(`attribute '${name}' ${problem}`, location);
  }
  for (const [name, spec] of Object.entries(def.attributes)) {
    if (spec.required && node.attrs[name] === undefined) throw new AttributeError(`missing required attribute '${name}'`, location);
  }
}

/** Infers the output types (and known contents) of `node` from facts about its inputs. */
export function inferNode(node: Node, inputFacts: readonly (ValueFacts | undefined)[]): NodeInference {
  const def = getOpDef(node.op, nodeLocation(node));
  checkNodeSchema(node, def);
  const ctx = new InferContext(
    node,
    def,
    inputFacts.map((facts) => facts?.type),
    inputFacts.map((facts) => facts?.known),
    inputFacts.map((facts) => facts?.constant),
  );
  const types = def.infer(ctx);
  const known = def.inferValue?.(ctx);
  return known ? { types, known } : { types };
}

/** The symbolic contents of a small integer constant (rank <= 1), if it is one. */
export function knownFromTensor(value: Tensor): Dim[] | undefined {
  if ((value.dtype !== 'i64' && value.dtype !== 'i32') || value.shape.length > 1 || value.data.length > 64) return undefined;
  return Array.from(value.data as ArrayLike<number | bigint>, Number);
}

function portRange(ports: readonly { optional?: boolean; variadic?: boolean }[]): { min: number; max: number } {
  let min = 0;
  ports.forEach((port, index) => {
    if (!port.optional && !port.variadic) min = index + 1;
    if (port.variadic && !port.optional) min = index + 1;
  });
  const max = ports.some((port) => port.variadic) ? Infinity : ports.length;
  return { min, max };
}

function describeRange(min: number, max: number): string {
  if (min === max) return `${min}`;
  if (max === Infinity) return `at least ${min}`;
  return `${min} to ${max}`;
}

function attributeProblem(spec: AttrSpec, value: AttrValue): string | undefined {
  const isNumberList = Array.isArray(value) && value.every((item) => typeof item === 'number');
  switch (spec.type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `must be an int, got ${show(value)}`;
    case 'float':
      return typeof value === 'number' ? undefined : `must be a float, got ${show(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, got ${show(value)}`;
    case 'ints':
      return isNumberList && (value as number[]).every(Number.isInteger) ? undefined : `must be a list of ints, got ${show(value)}`;
    case 'floats':
      return isNumberList ? undefined : `must be a list of floats, got ${show(value)}`;
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : `must be a list of strings, got ${show(value)}`;
    case 'tensor':
      return typeof value === 'object' && !Array.isArray(value) && 'dtype' in value ? undefined : `must be a tensor, got ${show(value)}`;
  }
}

function show(value: AttrValue): string {
  if (Array.isArray(value)) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
  if (typeof value === 'object') return 'a tensor';
  return JSON.stringify(value);
}
