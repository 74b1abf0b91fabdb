/**
 * How an op is defined: its ports and attributes (the schema), shape/type
 * inference with verification, optional symbolic value inference (for shape
 * tensors), and reference semantics. Each op lives in its own file under
 * `ops/` and exports one {@link OpDef}.
 */
import type { Dim } from './dim.js';
import type { DType } from './dtype.js';
import { ArityError, AttributeError, DTypeError, EvalError, ShapeError } from './errors.js';
import { nodeLabel, nodeLocation, type AttrValue, type Node } from './graph.js';
import { formatType, type TensorType } from './shape.js';
import type { BinaryOp, ScalarExpr, ScalarType } from './scalar/expr.js';
import type { Tensor } from './tensor.js';

/** The kinds of attribute. */
export type AttrType = 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor';

/** One attribute of an op's schema. */
export interface AttrSpec {
  readonly type: AttrType;
  /** The value when the attribute is absent; absent and no default means "not set". */
  readonly default?: AttrValue;
  /** Must be present. */
  readonly required?: boolean;
}

/** One input or output slot of an op. */
export interface PortSpec {
  readonly name: string;
  /** May be omitted (`''` in the node). */
  readonly optional?: boolean;
  /** The last port may repeat (Concat inputs, Split outputs). */
  readonly variadic?: boolean;
  /**
   * A control input (a target shape, axes, slice bounds, `k`, Range's
   * scalars): what the op does depends on its contents, which lowerings
   * read when they plan the node (from a constant, or from the symbolic
   * contents shape inference tracked), never as a tensor a kernel reads.
   */
  readonly static?: boolean;
}

/** The definition of one op: schema, inference, and reference semantics. */
export interface OpDef {
  readonly name: string;
  /** One line: what the op computes. */
  readonly summary: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly attributes: Readonly<Record<string, AttrSpec>>;
  /** Output 0 is input 0's bytes under another shape (Reshape, Squeeze, Unsqueeze, Identity): lowerings make it a view, no kernel runs. */
  readonly view?: boolean;
  /** A binary op whose two operands may be swapped (Add, Mul, Equal): pattern matching and CSE try both orders. */
  readonly commutative?: boolean;
  /**
   * The output's shape depends on the contents of the inputs, not only on
   * their shapes (NonZero): compiled programs evaluate such a node on the
   * host, from values the host has (feeds, constants, shapes).
   */
  readonly dataDependentShape?: boolean;
  /** Element-wise ops: the scalar expression of one output element, which the compiler plans and renders from. */
  readonly elementwise?: ElementwiseTrait;
  /** Reductions over axes: how each output element combines its input elements, which the compiler plans and renders from. */
  readonly reduction?: ReductionTrait;
  /** Checks the node and returns one type per output slot (undefined for omitted outputs). Throws typed errors. */
  infer(ctx: InferContext): (TensorType | undefined)[];
  /** For shape-computing ops: the symbolic contents of output 0 when they can be known statically. */
  inferValue?(ctx: InferContext): readonly Dim[] | undefined;
  /** Computes the outputs on concrete tensors (one per output slot; omitted outputs may be skipped). */
  evaluate(ctx: EvalContext): (Tensor | undefined)[];
}

/** The port spec of input `slot` (the last port when it is variadic and repeats), or undefined past the last port. */
export function inputPort(def: OpDef, slot: number): PortSpec | undefined {
  const last = def.inputs[def.inputs.length - 1];
  return slot < def.inputs.length ? def.inputs[slot] : last?.variadic ? last : undefined;
}

/** What kind of element-wise op (for grouping and documentation). */
export type ElementwiseKind = 'unary' | 'binary' | 'comparison' | 'logical' | 'select' | 'conversion';

/** What an element-wise expression is built from. */
export interface ElementwiseContext {
  /** The inputs as expression leaves (input i has the compute type of its dtype; an omitted optional input's leaf must not be read). */
  readonly inputs: readonly ScalarExpr[];
  /** The inputs' dtypes (an omitted optional input has the output's). */
  readonly dtypes: readonly DType[];
  /** True when input `index` is present (optional inputs may be omitted). */
  has(index: number): boolean;
  /** The output's dtype. */
  readonly output: DType;
  /** The node's attributes (with the op's defaults). */
  readonly attrs: OpContext;
  /**
   * The value of input `index` when it is known at compile time to hold one
   * number in every element (undefined otherwise, and always in the
   * reference interpreter): lets a definition bake in an exact cheaper form.
   */
  constantScalar(index: number): number | undefined;
}

/** The element-wise trait of an OpDef: what the compiler plans and renders the op from. */
export interface ElementwiseTrait {
  readonly kind: ElementwiseKind;
  /** The scalar expression of one output element. */
  expression(ctx: ElementwiseContext): ScalarExpr;
  /** A kernel-name suffix for the compile-time choices the expression depends on (attribute values, folded constants). */
  variant?(ctx: ElementwiseContext): string;
}

/** How a reduction combines two accumulators: associative and commutative, so any order gives the result. */
export type ReductionCombine = Extract<BinaryOp, 'add' | 'mul' | 'max' | 'min' | 'and' | 'or'>;

/**
 * One reduction, for one input compute type: every element of a reduced
 * set is mapped (`map`), the mapped values are combined (`combine`,
 * starting from its identity: 0 for add, 1 for mul, the type's lowest value
 * for max, its highest for min, true for and, false for or), and the
 * accumulator is finished (`finish`). With
 * `shiftByMax`, the set's maximum m (0 when it is not finite) is
 * subtracted from every element before `map` and added to the finished
 * result (a stable log-sum-exp). The reference interpreter evaluates these
 * expressions; the backends render them.
 */
export interface ReductionDefinition {
  /** The accumulator's type (`map`'s result and `finish`'s input 0). */
  readonly accumulator: ScalarType;
  /** An element's contribution: an expression over input 0 (the element, in its compute type). */
  readonly map: ScalarExpr;
  readonly combine: ReductionCombine;
  /** The result: an expression over input 0 (the accumulator) and input 1 (the set's size, in the accumulator's type). */
  readonly finish: ScalarExpr;
  readonly shiftByMax?: boolean;
}

/** The reduction trait of an OpDef: its definition for an input compute type. */
export interface ReductionTrait {
  define(type: ScalarType): ReductionDefinition;
}

/** Attribute access and error helpers shared by inference and evaluation. */
export class OpContext {
  constructor(
    readonly node: Node,
    readonly def: OpDef,
  ) {}

  /** The node's label for messages (`%7 (name)`). */
  get label(): string {
    return nodeLabel(this.node);
  }

  /** True when the attribute is set on the node. */
  hasAttr(name: string): boolean {
    return this.node.attrs[name] !== undefined;
  }

  /** The attribute's value, or its default; throws if required and missing. */
  attr(name: string): AttrValue | undefined {
    const value = this.node.attrs[name];
    if (value !== undefined) return value;
    const spec = this.def.attributes[name];
    if (!spec) throw new AttributeError(`op ${this.def.name} has no attribute '${name}'`, nodeLocation(this.node));
    if (spec.required) throw new AttributeError(`missing required attribute '${name}'`, nodeLocation(this.node));
    return spec.default;
  }

  /** An int attribute (or its default). */
  int(name: string): number;
  int(name: string, fallback: number): number;
  int(name: string, fallback?: number): number {
    const value = this.attr(name) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new AttributeError(`attribute '${name}' must be an int, got ${describeAttr(value)}`, nodeLocation(this.node));
    }
    return value;
  }

  /** An optional int attribute. */
  optionalInt(name: string): number | undefined {
    return this.attr(name) === undefined ? undefined : this.int(name);
  }

  /** A float attribute (or its default). */
  float(name: string): number {
    const value = this.attr(name);
    if (typeof value !== 'number') {
      throw new AttributeError(`attribute '${name}' must be a float, got ${describeAttr(value)}`, nodeLocation(this.node));
    }
    return value;
  }

  /** An optional float attribute. */
  optionalFloat(name: string): number | undefined {
    return this.attr(name) === undefined ? undefined : this.float(name);
  }

  /** A string attribute (or its default). */
  string(name: string): string {
    const value = this.attr(name);
    if (typeof value !== 'string') {
      throw new AttributeError(`attribute '${name}' must be a string, got ${describeAttr(value)}`, nodeLocation(this.node));
    }
    return value;
  }

  /** An ints attribute, or undefined when absent with no default. */
  ints(name: string): readonly number[] | undefined {
    const value = this.attr(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'number' && Number.isInteger(item))) {
      throw new AttributeError(`attribute '${name}' must be a list of ints, got ${describeAttr(value)}`, nodeLocation(this.node));
    }
    return value as readonly number[];
  }

  /** A tensor attribute, or undefined. */
  tensor(name: string): Tensor | undefined {
    const value = this.attr(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || !('dtype' in value)) {
      throw new AttributeError(`attribute '${name}' must be a tensor, got ${describeAttr(value)}`, nodeLocation(this.node));
    }
    return value as Tensor;
  }

  /** Throws a ShapeError at this node. */
  failShape(message: string, tensor?: string): never {
    throw new ShapeError(message, nodeLocation(this.node, tensor));
  }

  /** Throws a DTypeError at this node. */
  failDType(message: string, tensor?: string): never {
    throw new DTypeError(message, nodeLocation(this.node, tensor));
  }

  /** Throws an AttributeError at this node. */
  failAttr(message: string): never {
    throw new AttributeError(message, nodeLocation(this.node));
  }

  /** The value name of input `index` (for messages), e.g. `%q`. */
  inputRef(index: number): string {
    const name = this.node.inputs[index];
    return name ? `%${name}` : `input ${index}`;
  }

  /** The port name of input `index` (e.g. `Q`), falling back to the variadic port. */
  inputPortName(index: number): string {
    const ports = this.def.inputs;
    const port = ports[Math.min(index, ports.length - 1)];
    return port?.variadic ? `${port.name}[${index - ports.length + 1}]` : (port?.name ?? `input ${index}`);
  }
}

/** What inference sees: the node's input types, plus known constants and symbolic values. */
export class InferContext extends OpContext {
  constructor(
    node: Node,
    def: OpDef,
    private readonly inputTypes: readonly (TensorType | undefined)[],
    private readonly knownValues: readonly (readonly Dim[] | undefined)[],
    private readonly constants: readonly (Tensor | undefined)[],
  ) {
    super(node, def);
  }

  /** The number of input slots the node has (including omitted ones). */
  get inputCount(): number {
    return this.node.inputs.length;
  }

  /** True when input `index` is present. */
  has(index: number): boolean {
    return this.inputTypes[index] !== undefined;
  }

  /** The type of a required input. */
  type(index: number): TensorType {
    const type = this.inputTypes[index];
    if (!type) {
      throw new ArityError(`input ${index} (${this.inputPortName(index)}) is required but missing`, nodeLocation(this.node));
    }
    return type;
  }

  /** The type of an optional input, or undefined when omitted. */
  optionalType(index: number): TensorType | undefined {
    return this.inputTypes[index];
  }

  /** The symbolic contents of an integer input (from a constant or shape inference), if known. */
  known(index: number): readonly Dim[] | undefined {
    return this.knownValues[index];
  }

  /** The constant value of an input (an initializer or Constant output), if it is one. */
  constant(index: number): Tensor | undefined {
    return this.constants[index];
  }

  /** Requires input `index` to have one of `dtypes`. */
  expectDType(index: number, dtypes: readonly DType[]): DType {
    const type = this.type(index);
    if (!dtypes.includes(type.dtype)) {
      this.failDType(
        `${this.inputPortName(index)} ${this.inputRef(index)} must be ${dtypes.join(' or ')}, got ${formatType(type)}`,
        this.node.inputs[index],
      );
    }
    return type.dtype;
  }

  /** Requires inputs `a` and `b` to share a dtype. */
  expectSameDType(a: number, b: number): void {
    const ta = this.type(a);
    const tb = this.type(b);
    if (ta.dtype !== tb.dtype) {
      this.failDType(
        `${this.inputPortName(a)} ${this.inputRef(a)} is ${formatType(ta)} but ${this.inputPortName(b)} ${this.inputRef(b)} is ${formatType(tb)}; expected the same dtype`,
        this.node.inputs[b],
      );
    }
  }

  /** Requires input `index` to have one of the given ranks. */
  expectRank(index: number, ranks: readonly number[]): TensorType {
    const type = this.type(index);
    if (!ranks.includes(type.shape.length)) {
      this.failShape(
        `${this.inputPortName(index)} ${this.inputRef(index)} must have rank ${ranks.join(' or ')}, got ${formatType(type)}`,
        this.node.inputs[index],
      );
    }
    return type;
  }
}

/** What evaluation sees: concrete input tensors. */
export class EvalContext extends OpContext {
  constructor(
    node: Node,
    def: OpDef,
    private readonly inputValues: readonly (Tensor | undefined)[],
  ) {
    super(node, def);
  }

  /** The number of input slots. */
  get inputCount(): number {
    return this.node.inputs.length;
  }

  /** A required input tensor. */
  input(index: number): Tensor {
    const value = this.inputValues[index];
    if (!value) {
      throw new EvalError(`input ${index} (${this.inputPortName(index)}) is required but missing`, nodeLocation(this.node));
    }
    return value;
  }

  /** An optional input tensor. */
  optionalInput(index: number): Tensor | undefined {
    return this.inputValues[index];
  }

  /** All inputs (for variadic ops). */
  get inputs(): readonly (Tensor | undefined)[] {
    return this.inputValues;
  }

  /** True when output `index` is requested (present in the node). */
  wantsOutput(index: number): boolean {
    return Boolean(this.node.outputs[index]);
  }

  /** Throws an EvalError at this node. */
  failEval(message: string, tensor?: string): never {
    throw new EvalError(message, nodeLocation(this.node, tensor));
  }
}

function describeAttr(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'object') return 'a tensor';
  return JSON.stringify(value);
}
