/**
 * The reference semantics of scalar expressions: an expression compiled
 * once into a JavaScript function of its inputs. f32 values are JS numbers
 * (computed in f64, rounded once when stored), i32 values numbers wrapped
 * to 32 bits at every node, i64 values BigInts wrapped to 64 bits, bools 0
 * or 1. Vocabulary functions evaluate their exact reference, not the body
 * the backends render.
 */
import { erf as erfReference } from './erf.js';
import { operandsOf, type BinaryOp, type CompareOp, type ScalarExpr, type ScalarType, type UnaryOp } from './expr.js';

/** A scalar value: a number (f32, i32, bool as 0/1) or a BigInt (i64). */
export type ScalarValue = number | bigint;

/** An expression compiled for evaluation: the value for one element's inputs. */
export type CompiledScalar = (inputs: readonly ScalarValue[]) => ScalarValue;

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** `x ^ y` with C `pow` semantics for the NaN / infinity corner cases. */
export function powC(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

/** Rounds to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const rounded = Math.round(x);
  return Math.abs(x % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

const FLOAT_UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  erf: erfReference,
  tanh: Math.tanh,
  floor: Math.floor,
  trunc: Math.trunc,
  round: roundHalfEven,
  not: (x) => (x ? 0 : 1),
};

const FLOAT_BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powC,
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  and: (a, b) => (a && b ? 1 : 0),
  or: (a, b) => (a || b ? 1 : 0),
};

const I32_BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  ...FLOAT_BINARY,
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b) | 0),
  pow: (a, b) => Math.trunc(powC(a, b)) | 0,
};

const wrap64 = (value: bigint): bigint => BigInt.asIntN(64, value);

const I64_BINARY: Record<BinaryOp, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => wrap64(a + b),
  sub: (a, b) => wrap64(a - b),
  mul: (a, b) => wrap64(a * b),
  div: (a, b) => (b === 0n ? 0n : wrap64(a / b)),
  pow: (a, b) => floatToI64(Math.trunc(powC(Number(a), Number(b)))),
  max: (a, b) => (a > b ? a : b),
  min: (a, b) => (a < b ? a : b),
  and: (a, b) => (a && b ? 1n : 0n),
  or: (a, b) => (a || b ? 1n : 0n),
};

const COMPARE: Record<CompareOp, (a: ScalarValue, b: ScalarValue) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/** A float converted to i32: NaN -> 0, truncation, saturation. */
export function floatToI32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(I32_MAX, Math.max(I32_MIN, Math.trunc(x)));
}

/** A float converted to i64: NaN -> 0, truncation, saturation. */
export function floatToI64(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return I64_MAX;
  if (x <= -(2 ** 63)) return I64_MIN;
  return BigInt(Math.trunc(x));
}

/** A value of type `from` converted to `to`. */
export function convertScalar(value: ScalarValue, from: ScalarType, to: ScalarType): ScalarValue {
  if (from === to) return value;
  if (to === 'bool') return value !== 0 && value !== 0n ? 1 : 0;
  if (to === 'f32') return Number(value);
  if (to === 'i64') return from === 'i64' ? value : from === 'f32' ? floatToI64(value as number) : BigInt(value);
  if (from === 'i64') return Number(BigInt.asIntN(32, value as bigint));
  return from === 'f32' ? floatToI32(value as number) : Number(value);
}

function binaryOf(type: ScalarType, op: BinaryOp): (a: ScalarValue, b: ScalarValue) => ScalarValue {
  if (type === 'i64') return I64_BINARY[op] as (a: ScalarValue, b: ScalarValue) => ScalarValue;
  return (type === 'i32' ? I32_BINARY[op] : FLOAT_BINARY[op]) as (a: ScalarValue, b: ScalarValue) => ScalarValue;
}

function unaryOf(type: ScalarType, op: UnaryOp): (x: ScalarValue) => ScalarValue {
  if (op === 'neg' && type === 'i32') return (x) => -(x as number) | 0;
  if (op === 'neg' && type === 'i64') return (x) => wrap64(-(x as bigint));
  if (op === 'abs' && type === 'i32') return (x) => Math.abs(x as number) | 0;
  if (op === 'abs' && type === 'i64') return (x) => wrap64((x as bigint) < 0n ? -(x as bigint) : (x as bigint));
  if ((type === 'i32' || type === 'i64') && (op === 'floor' || op === 'trunc' || op === 'round')) return (x) => x;
  return FLOAT_UNARY[op] as (x: ScalarValue) => ScalarValue;
}

/** Compiles `root` into a function of the inputs' values. */
export function compileScalarExpr(root: ScalarExpr): CompiledScalar {
  const compiled = new Map<ScalarExpr, CompiledScalar>();
  const compile = (node: ScalarExpr): CompiledScalar => {
    const done = compiled.get(node);
    if (done) return done;
    const [a, b, c] = operandsOf(node).map(compile);
    let fn: CompiledScalar;
    switch (node.kind) {
      case 'input': {
        const index = node.index;
        fn = (inputs) => inputs[index];
        break;
      }
      case 'const': {
        const value = node.type === 'i64' ? BigInt(node.value) : node.value;
        fn = () => value;
        break;
      }
      case 'unary': {
        const op = unaryOf(node.type, node.op);
        fn = (inputs) => op(a(inputs));
        break;
      }
      case 'binary': {
        const op = binaryOf(node.type, node.op);
        fn = (inputs) => op(a(inputs), b(inputs));
        break;
      }
      case 'compare': {
        const op = COMPARE[node.op];
        fn = (inputs) => (op(a(inputs), b(inputs)) ? 1 : 0);
        break;
      }
      case 'isnan':
        fn = (inputs) => (Number.isNaN(a(inputs)) ? 1 : 0);
        break;
      case 'select':
        fn = (inputs) => (a(inputs) ? b(inputs) : c(inputs));
        break;
      case 'convert': {
        const [from, to] = [node.x.type, node.type];
        fn = (inputs) => convertScalar(a(inputs), from, to);
        break;
      }
      case 'muladd':
        fn = (inputs) => (a(inputs) as number) * (b(inputs) as number) + (c(inputs) as number);
        break;
      case 'call': {
        const args = node.args.map(compile);
        const reference = node.fn.reference;
        fn = (inputs) => reference(...args.map((arg) => arg(inputs) as number));
        break;
      }
    }
    compiled.set(node, fn);
    return fn;
  };
  return compile(root);
}
