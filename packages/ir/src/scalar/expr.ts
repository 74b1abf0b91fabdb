/**
 * The scalar-expression vocabulary: what one element of an element-wise op
 * is, as a small typed expression DAG — inputs, constants, arithmetic,
 * math primitives, comparisons, selection, conversion and functions
 * defined in the vocabulary itself. An element-wise op is defined once as
 * such an expression; the reference interpreter evaluates it
 * (evaluate.ts), and each backend renders it (wasm: four SIMD lanes at a
 * time; WGSL: one invocation per element), the way tinygrad renders one
 * UOp graph to every backend.
 *
 * Types: f32 (f16 tensors compute in f32), i32, i64 and bool. Semantics,
 * shared by every renderer: f32 follows IEEE (the reference computes in
 * f64 and rounds once); integers wrap; integer division truncates towards
 * zero and gives 0 for a zero divisor; `pow` follows C `pow` (integer
 * results truncated); comparisons give bool (NaN compares unequal to
 * everything; `isNaN` tests for it); `convert` truncates floats
 * towards zero and saturates (NaN gives 0), anything -> bool is `x != 0`,
 * i64 -> i32 wraps. A node used twice is computed once (the DAG shares it).
 */
import type { DType } from '../dtype.js';
import { LadonError } from '../errors.js';

/** The element types an expression computes in. */
export type ScalarType = 'f32' | 'i32' | 'i64' | 'bool';

/** Primitives of one operand, each rendered natively by every backend. */
export type UnaryOp = 'neg' | 'abs' | 'sqrt' | 'exp' | 'log' | 'erf' | 'tanh' | 'floor' | 'trunc' | 'round' | 'not';

/** Primitives of two operands of one type. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min' | 'and' | 'or';

/** Comparisons (bool results). */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * A function defined in the vocabulary: its body is an expression over
 * its arguments (what backends render), its reference the exact function
 * the interpreter evaluates. Adding one touches no backend.
 */
export interface ScalarFunction {
  readonly name: string;
  /** The exact value, for the reference interpreter (in f64). */
  readonly reference: (...args: number[]) => number;
  /** The implementation backends render, built over the argument expressions. */
  readonly body: (...args: ScalarExpr[]) => ScalarExpr;
}

/** One node of a scalar expression. */
export type ScalarExpr =
  | { readonly kind: 'input'; readonly type: ScalarType; readonly index: number }
  | { readonly kind: 'const'; readonly type: ScalarType; readonly value: number }
  | { readonly kind: 'unary'; readonly type: ScalarType; readonly op: UnaryOp; readonly x: ScalarExpr }
  | { readonly kind: 'binary'; readonly type: ScalarType; readonly op: BinaryOp; readonly a: ScalarExpr; readonly b: ScalarExpr }
  | { readonly kind: 'compare'; readonly type: 'bool'; readonly op: CompareOp; readonly a: ScalarExpr; readonly b: ScalarExpr }
  | { readonly kind: 'isnan'; readonly type: 'bool'; readonly x: ScalarExpr }
  | { readonly kind: 'select'; readonly type: ScalarType; readonly condition: ScalarExpr; readonly then: ScalarExpr; readonly otherwise: ScalarExpr }
  | { readonly kind: 'convert'; readonly type: ScalarType; readonly x: ScalarExpr }
  | { readonly kind: 'muladd'; readonly type: 'f32'; readonly a: ScalarExpr; readonly b: ScalarExpr; readonly c: ScalarExpr }
  | { readonly kind: 'call'; readonly type: ScalarType; readonly fn: ScalarFunction; readonly args: readonly ScalarExpr[] };

/** The type an expression computes a tensor of `dtype` in (f16 in f32, i8 and u8 in i32, wrapped to 8 bits when stored). */
export function scalarTypeOf(dtype: DType): ScalarType {
  if (dtype === 'f16') return 'f32';
  return dtype === 'i8' || dtype === 'u8' ? 'i32' : dtype;
}

function fail(message: string): never {
  throw new LadonError('E_INTERNAL', `scalar expression: ${message}`);
}

function sameType(op: string, a: ScalarExpr, b: ScalarExpr): ScalarType {
  return a.type === b.type ? a.type : fail(`${op} needs operands of one type, got ${a.type} and ${b.type}`);
}

/** Input `index` of the element-wise op, of `type`. */
export function input(index: number, type: ScalarType): ScalarExpr {
  return { kind: 'input', type, index };
}

/** A constant (f32 by default). */
export function constant(value: number, type: ScalarType = 'f32'): ScalarExpr {
  return { kind: 'const', type, value };
}

/** A constant of `like`'s type. */
export function constantLike(like: ScalarExpr, value: number): ScalarExpr {
  return constant(value, like.type);
}

function unary(op: UnaryOp, x: ScalarExpr): ScalarExpr {
  return { kind: 'unary', type: x.type, op, x };
}

function binary(op: BinaryOp, a: ScalarExpr, b: ScalarExpr): ScalarExpr {
  return { kind: 'binary', type: sameType(op, a, b), op, a, b };
}

/** The primitive `op` of two operands (for callers that choose the op by name, like a reduction's combine). */
export function binaryExpr(op: BinaryOp, a: ScalarExpr, b: ScalarExpr): ScalarExpr {
  return binary(op, a, b);
}

function compare(op: CompareOp, a: ScalarExpr, b: ScalarExpr): ScalarExpr {
  sameType(op, a, b);
  return { kind: 'compare', type: 'bool', op, a, b };
}

/** -x. */
export const neg = (x: ScalarExpr): ScalarExpr => unary('neg', x);
/** |x|. */
export const abs = (x: ScalarExpr): ScalarExpr => unary('abs', x);
/** √x (NaN below 0). */
export const sqrt = (x: ScalarExpr): ScalarExpr => unary('sqrt', x);
/** eˣ. */
export const exp = (x: ScalarExpr): ScalarExpr => unary('exp', x);
/** The natural logarithm (NaN below 0, -inf at 0). */
export const log = (x: ScalarExpr): ScalarExpr => unary('log', x);
/** The Gauss error function. */
export const erf = (x: ScalarExpr): ScalarExpr => unary('erf', x);
/** tanh x. */
export const tanh = (x: ScalarExpr): ScalarExpr => unary('tanh', x);
/** ⌊x⌋. */
export const floor = (x: ScalarExpr): ScalarExpr => unary('floor', x);
/** x rounded towards zero. */
export const trunc = (x: ScalarExpr): ScalarExpr => unary('trunc', x);
/** x rounded to the nearest integer, ties to even. */
export const round = (x: ScalarExpr): ScalarExpr => unary('round', x);
/** Logical not of a bool. */
export const not = (x: ScalarExpr): ScalarExpr => unary('not', x);
/** a + b. */
export const add = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('add', a, b);
/** a - b. */
export const sub = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('sub', a, b);
/** a · b. */
export const mul = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('mul', a, b);
/** a / b (integers: truncated, 0 for a zero divisor). */
export const div = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('div', a, b);
/** aᵇ with C `pow` semantics. */
export const pow = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('pow', a, b);
/** The larger of a and b (NaN if either is). */
export const max = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('max', a, b);
/** The smaller of a and b (NaN if either is). */
export const min = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('min', a, b);
/** Logical and of bools. */
export const and = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('and', a, b);
/** Logical or of bools. */
export const or = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => binary('or', a, b);
/** a == b. */
export const eq = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('eq', a, b);
/** a != b. */
export const ne = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('ne', a, b);
/** a < b. */
export const lt = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('lt', a, b);
/** a <= b. */
export const le = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('le', a, b);
/** a > b. */
export const gt = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('gt', a, b);
/** a >= b. */
export const ge = (a: ScalarExpr, b: ScalarExpr): ScalarExpr => compare('ge', a, b);

/** True when the f32 x is NaN (backends test the bits: a NaN-free fast path may not fold it away). */
export function isNaN(x: ScalarExpr): ScalarExpr {
  if (x.type !== 'f32') fail(`isNaN tests f32 values, got ${x.type}`);
  return { kind: 'isnan', type: 'bool', x };
}

/** a · b + c (fused where the backend can; f32). */
export function muladd(a: ScalarExpr, b: ScalarExpr, c: ScalarExpr): ScalarExpr {
  if (a.type !== 'f32' || b.type !== 'f32' || c.type !== 'f32') fail('muladd computes on f32');
  return { kind: 'muladd', type: 'f32', a, b, c };
}

/** condition ? then : otherwise (condition a bool). */
export function select(condition: ScalarExpr, then: ScalarExpr, otherwise: ScalarExpr): ScalarExpr {
  if (condition.type !== 'bool') fail(`select needs a bool condition, got ${condition.type}`);
  return { kind: 'select', type: sameType('select', then, otherwise), condition, then, otherwise };
}

/** x converted to `type` (see the conversions above); x itself when it has that type. */
export function convert(x: ScalarExpr, type: ScalarType): ScalarExpr {
  return x.type === type ? x : { kind: 'convert', type, x };
}

/** A call of a vocabulary function (f32 arguments). */
export function call(fn: ScalarFunction, ...args: ScalarExpr[]): ScalarExpr {
  if (args.some((arg) => arg.type !== 'f32')) fail(`${fn.name} computes on f32`);
  return { kind: 'call', type: 'f32', fn, args };
}

/** The operands of a node, in order. */
export function operandsOf(node: ScalarExpr): readonly ScalarExpr[] {
  switch (node.kind) {
    case 'input':
    case 'const':
      return [];
    case 'unary':
    case 'convert':
    case 'isnan':
      return [node.x];
    case 'binary':
    case 'compare':
      return [node.a, node.b];
    case 'select':
      return [node.condition, node.then, node.otherwise];
    case 'muladd':
      return [node.a, node.b, node.c];
    case 'call':
      return node.args;
  }
}

/** How many times each node is an operand (a node counted more than once is shared). */
export function useCounts(root: ScalarExpr): Map<ScalarExpr, number> {
  const uses = new Map<ScalarExpr, number>([[root, 1]]);
  const visit = (node: ScalarExpr): void => {
    for (const operand of operandsOf(node)) {
      const count = (uses.get(operand) ?? 0) + 1;
      uses.set(operand, count);
      if (count === 1) visit(operand);
    }
  };
  visit(root);
  return uses;
}

/** `node` with its operands replaced by `operands` (in the order of {@link operandsOf}). */
export function withOperands(node: ScalarExpr, operands: readonly ScalarExpr[]): ScalarExpr {
  switch (node.kind) {
    case 'unary':
    case 'convert':
    case 'isnan':
      return { ...node, x: operands[0] };
    case 'binary':
    case 'compare':
      return { ...node, a: operands[0], b: operands[1] };
    case 'select':
      return { ...node, condition: operands[0], then: operands[1], otherwise: operands[2] };
    case 'muladd':
      return { ...node, a: operands[0], b: operands[1], c: operands[2] };
    case 'call':
      return { ...node, args: operands };
    default:
      return node;
  }
}

/** Rebuilds an expression bottom-up, sharing kept (a node whose operands did not change stays itself): `rewrite` gets each node with its operands already rebuilt. */
export function rewriteScalarExpr(root: ScalarExpr, rewrite: (node: ScalarExpr) => ScalarExpr): ScalarExpr {
  const done = new Map<ScalarExpr, ScalarExpr>();
  const visit = (node: ScalarExpr): ScalarExpr => {
    const seen = done.get(node);
    if (seen) return seen;
    const operands = operandsOf(node);
    const rebuilt = operands.map(visit);
    const result = rewrite(rebuilt.every((operand, index) => operand === operands[index]) ? node : withOperands(node, rebuilt));
    done.set(node, result);
    return result;
  };
  return visit(root);
}

/** The expression with every function call replaced by its body: what renderers work on. */
export function inlineCalls(root: ScalarExpr): ScalarExpr {
  return rewriteScalarExpr(root, (node) => (node.kind === 'call' ? inlineCalls(node.fn.body(...node.args)) : node));
}

/** The expression as text (shared nodes are written out where used), e.g. `mul(in0:f32, 0.5)`. */
export function printScalarExpr(node: ScalarExpr): string {
  switch (node.kind) {
    case 'input':
      return `in${node.index}:${node.type}`;
    case 'const':
      return node.type === 'f32' ? String(node.value) : `${node.value}:${node.type}`;
    case 'unary':
    case 'binary':
    case 'compare':
      return `${node.op}(${operandsOf(node).map(printScalarExpr).join(', ')})`;
    case 'convert':
      return `convert<${node.type}>(${printScalarExpr(node.x)})`;
    case 'call':
      return `${node.fn.name}(${node.args.map(printScalarExpr).join(', ')})`;
    default:
      return `${node.kind}(${operandsOf(node).map(printScalarExpr).join(', ')})`;
  }
}
