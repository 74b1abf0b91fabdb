/**
 * The host part of a program: what the runtime evaluates on the CPU when
 * the feeds arrive, before any kernel runs. Values that decide sizes (a
 * Reshape's target, Expand's shape, Range's operands, ConstantOfShape's
 * shape, NonZero's data...) may come from the feeds rather than from
 * constants; the compiler then gives every size they decide a fresh symbol,
 * and records here the small graph that binds those symbols: the nodes that
 * compute such values (evaluated with the reference semantics) and the
 * nodes whose output shapes depend on them (their shape inference re-run on
 * concrete shapes and values). The bound symbols then size the buffers like
 * any symbol an input shape binds, so memory is planned per binding and the
 * outputs carry their real shapes.
 *
 * Plain data, like the rest of the Program: tensors are raw bytes, nodes
 * are op names and attributes the IR's op set interprets.
 */
import type { Dim } from '../dim.js';
import { allocData, dtypeSize, isDType, type DType } from '../dtype.js';
import type { AttrValue, Node } from '../graph.js';
import type { TensorType } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** A tensor as plain data: dtype, shape and its little-endian bytes. */
export interface HostTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** An attribute value as plain data (tensors as {@link HostTensor}). */
export type HostAttr = Exclude<AttrValue, Tensor> | { readonly tensor: HostTensor };

/**
 * Where the host reads a value it did not compute itself:
 * - `feed`: a graph input (its contents and shape come with the feeds);
 * - `constant`: a constant of the program (its bytes are here);
 * - `known`: a small integer tensor whose entries are polynomials in the symbols;
 * - `shape`: a value computed on the device, of which the host reads only the shape.
 */
export type HostValueSource =
  | { readonly kind: 'feed' }
  | { readonly kind: 'constant'; readonly tensor: HostTensor }
  | { readonly kind: 'known'; readonly known: readonly Dim[] }
  | { readonly kind: 'shape' };

/** One value the host steps read but do not compute. */
export interface HostValue {
  readonly name: string;
  readonly type: TensorType;
  readonly source: HostValueSource;
}

/** One node the host runs. */
export interface HostStep {
  readonly op: string;
  /** The node's name (for messages). */
  readonly name?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, HostAttr>>;
  /** The outputs' types as compiled (symbolic): the concrete shapes found at run time bind their symbols. */
  readonly types: readonly (TensorType | undefined)[];
  /**
   * True: run the op's reference semantics (its outputs become host values,
   * small integer tensors). False: only re-run its shape inference on the
   * concrete input shapes and host values (the node itself runs as a kernel).
   */
  readonly evaluate: boolean;
  /**
   * For a broadcasting (element-wise) node reading sizes bound at run time:
   * its inputs' shapes as compiled. The kernels broadcast an input along an
   * axis only where its compiled dim is 1 (or missing); the host checks
   * that the concrete shapes broadcast exactly there.
   */
  readonly broadcast?: readonly (readonly Dim[] | undefined)[];
}

/** Symbols bound to the entries of a host value (a run-time `k` or pads a kernel takes as an argument). */
export interface HostValueSymbols {
  readonly value: string;
  /** One symbol per entry, in order. */
  readonly symbols: readonly string[];
}

/** The host part of a Program. */
export interface HostProgram {
  readonly values: readonly HostValue[];
  /** In graph order: each step may use what earlier steps computed or bound. */
  readonly steps: readonly HostStep[];
  readonly valueSymbols: readonly HostValueSymbols[];
}

/** A tensor as a {@link HostTensor} (its bytes copied). */
export function toHostTensor(value: Tensor): HostTensor {
  const { data } = value;
  return { dtype: value.dtype, shape: [...value.shape], bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() };
}

/** A {@link HostTensor} as a tensor; undefined when its dtype or byte count is wrong. */
export function fromHostTensor(value: HostTensor): Tensor | undefined {
  if (!value || !isDType(value.dtype) || !Array.isArray(value.shape) || !(value.bytes instanceof Uint8Array)) return undefined;
  if (!value.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) return undefined;
  const count = value.shape.reduce((product, dim) => product * dim, 1);
  if (count * dtypeSize(value.dtype) !== value.bytes.length) return undefined;
  const data = allocData(value.dtype, count);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(value.bytes);
  return { dtype: value.dtype, shape: [...value.shape], data };
}

function isTensorAttr(value: AttrValue): value is Tensor {
  return typeof value === 'object' && !Array.isArray(value) && 'dtype' in value;
}

/** A node as a host step's op, name, inputs, outputs and plain-data attributes. */
export function hostNodeFields(node: Node): Pick<HostStep, 'op' | 'name' | 'inputs' | 'outputs' | 'attrs'> {
  const attrs = Object.fromEntries(Object.entries(node.attrs).map(([key, value]) => [key, isTensorAttr(value) ? { tensor: toHostTensor(value) } : value])) as Record<string, HostAttr>;
  return { op: node.op, ...(node.name ? { name: node.name } : {}), inputs: [...node.inputs], outputs: [...node.outputs], attrs };
}

/** The node of a host step (tensor attributes decoded); undefined when an attribute tensor is malformed. */
export function hostStepNode(step: HostStep): Node | undefined {
  const attrs: Record<string, AttrValue> = {};
  for (const [key, value] of Object.entries(step.attrs)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'tensor' in value) {
      const decoded = fromHostTensor(value.tensor);
      if (!decoded) return undefined;
      attrs[key] = decoded;
    } else {
      attrs[key] = value as AttrValue;
    }
  }
  return { op: step.op, inputs: [...step.inputs], outputs: [...step.outputs], attrs, ...(step.name ? { name: step.name } : {}) };
}
