/**
 * The element-wise ops: what each computes per lane (vector form) and per
 * element (scalar form), for the dtypes the wasm backend supports. Results
 * follow the IR reference (ONNX semantics): integer division truncates and
 * gives 0 for a zero divisor, Cast saturates float -> int with NaN -> 0,
 * anything -> bool is `x != 0`.
 */
import type { DType } from '@ladon/ir';
import type { Expr, FunctionBuilder, Local } from '../binaryen-module.js';
import type { ElementwiseOp } from './elementwise.js';
import { verfInto, vexpExactInto, vtanhInto } from './math.js';

type Thunk = () => Expr;

/** The binary arithmetic ops. */
export type ArithmeticOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** Add, Sub, Mul, Div for f32 (vector), i32 (vector except Div) and i64. */
export function arithmeticOp(name: ArithmeticOp, dtype: DType): ElementwiseOp {
  const base = { name: name.toLowerCase(), inputs: [dtype, dtype], output: dtype };
  if (dtype === 'f32') {
    const vector = { Add: 'add', Sub: 'sub', Mul: 'mul', Div: 'div' } as const;
    return { ...base, vector: (f, out, [a, b]) => [out.set(f.f32x4[vector[name]](a, b))] };
  }
  if (dtype === 'i32') {
    const scalar = (f: FunctionBuilder, [a, b]: readonly Thunk[]): Expr => integerArithmetic(f.i32, name, a, b);
    if (name === 'Div') return { ...base, scalar };
    const lanes = (f: FunctionBuilder): Record<string, (a: Expr, b: Expr) => Expr> => ({ Add: f.f32x4.i32x4Add, Sub: f.lanes.i32Sub, Mul: f.lanes.i32Mul });
    return { ...base, scalar, vector: (f, out, [a, b]) => [out.set(lanes(f)[name](a, b))] };
  }
  return { ...base, scalar: (f, [a, b]) => integerArithmetic(f.i64, name, a, b) };
}

interface IntegerOps {
  const(value: number): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  divS(a: Expr, b: Expr): Expr;
  eq(a: Expr, b: Expr): Expr;
  select(condition: Expr, ifTrue: Expr, ifFalse: Expr): Expr;
}

/** Integer arithmetic; division by 0 gives 0 and by -1 negates (no traps). */
function integerArithmetic(ops: IntegerOps, name: ArithmeticOp, a: Thunk, b: Thunk): Expr {
  switch (name) {
    case 'Add': return ops.add(a(), b());
    case 'Sub': return ops.sub(a(), b());
    case 'Mul': return ops.mul(a(), b());
    default: {
      const safeDivisor = ops.select(ops.eq(b(), ops.const(0)), ops.const(1), ops.select(ops.eq(b(), ops.const(-1)), ops.const(1), b()));
      const quotient = ops.select(ops.eq(b(), ops.const(-1)), ops.sub(ops.const(0), a()), ops.divS(a(), safeDivisor));
      return ops.select(ops.eq(b(), ops.const(0)), ops.const(0), quotient);
    }
  }
}

/** Equal, producing bool. */
export function equalOp(dtype: DType): ElementwiseOp {
  return {
    name: 'equal',
    inputs: [dtype, dtype],
    output: 'bool',
    scalar: (f, [a, b]) => {
      if (dtype === 'f32') return f.f32.eq(a(), b());
      if (dtype === 'i64') return f.i64.eq(a(), b());
      return f.i32.eq(a(), b());
    },
  };
}

/** Where(condition, X, Y) for X/Y of `dtype`. */
export function whereOp(dtype: DType): ElementwiseOp {
  const vector = dtype === 'f32' || dtype === 'i32' ? whereVector : undefined;
  return {
    name: 'where',
    inputs: ['bool', dtype, dtype],
    output: dtype,
    ...(vector ? { vector } : {}),
    scalar: (f, [condition, x, y]) => f.i32.select(condition(), x(), y()),
  };
}

function whereVector(f: FunctionBuilder, out: Local, [condition, x, y]: readonly Expr[]): Expr[] {
  const mask = f.lanes.i32Ne(condition, f.f32x4.zero());
  return [out.set(f.f32x4.select(mask, x, y))];
}

/** The unary float ops with a vector form. */
export type UnaryFloatOp = 'Relu' | 'Sqrt' | 'Exp' | 'Erf' | 'Tanh' | 'Gelu' | 'GeluTanh';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** A unary op on f32 (Relu also on i32 and i64). */
export function unaryOp(name: UnaryFloatOp, dtype: DType = 'f32'): ElementwiseOp {
  const base = { name: name.toLowerCase(), inputs: [dtype], output: dtype };
  if (name === 'Relu' && dtype === 'i32') return { ...base, vector: (f, out, [x]) => [out.set(f.lanes.i32Max(x, f.f32x4.zero()))] };
  if (name === 'Relu' && dtype === 'i64') return { ...base, scalar: (f, [x]) => f.i64.select(f.i64.lt(x(), f.i64.const(0)), f.i64.const(0), x()) };
  return { ...base, vector: (f, out, [x]) => unaryFloat(f, name, out, x) };
}

function unaryFloat(f: FunctionBuilder, name: UnaryFloatOp, out: Local, x: Expr): Expr[] {
  const v = f.f32x4;
  switch (name) {
    case 'Relu': return [out.set(v.max(x, v.zero()))];
    case 'Sqrt': return [out.set(v.sqrt(x))];
    case 'Exp': return vexpExactInto(f, out, x);
    case 'Erf': return verfInto(f, out, x);
    case 'Tanh': return vtanhInto(f, out, x);
    case 'Gelu': {
      // 0.5·x·(1 + erf(x/√2))
      const value = f.temp('v128');
      const erf = f.temp('v128');
      return [value.set(x), ...verfInto(f, erf, v.mul(value.get(), v.const(SQRT_HALF))), out.set(v.mul(v.mul(value.get(), v.const(0.5)), v.add(erf.get(), v.const(1))))];
    }
    case 'GeluTanh': {
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      const value = f.temp('v128');
      const tanh = f.temp('v128');
      const inner = v.mul(v.fma(v.mul(v.mul(value.get(), value.get()), v.const(0.044715)), value.get(), value.get()), v.const(SQRT_2_OVER_PI));
      return [value.set(x), ...vtanhInto(f, tanh, inner), out.set(v.mul(v.mul(value.get(), v.const(0.5)), v.add(tanh.get(), v.const(1))))];
    }
  }
}

/** Cast between f32, i32, i64 and bool (same dtype is a view, not a kernel). */
export function castOp(from: DType, to: DType): ElementwiseOp {
  const base = { name: 'cast', inputs: [from], output: to };
  if (from === 'f32' && to === 'i32') return { ...base, vector: (f, out, [x]) => [out.set(f.f32x4.i32x4TruncSat(x))] };
  if ((from === 'i32' || from === 'bool') && to === 'f32') return { ...base, vector: (f, out, [x]) => [out.set(f.f32x4.fromI32x4(x))] };
  if (from === 'bool' && to === 'i32') return { ...base, vector: (_f, out, [x]) => [out.set(x)] };
  return { ...base, scalar: (f, [x]) => castScalar(f, from, to, x) };
}

function castScalar(f: FunctionBuilder, from: DType, to: DType, x: Thunk): Expr {
  if (to === 'bool') {
    if (from === 'f32') return f.f32.ne(x(), f.f32.const(0));
    if (from === 'i64') return f.i32.eqz(f.i64.eqz(x()));
    return f.i32.ne(x(), f.i32.const(0));
  }
  if (to === 'i64') return from === 'f32' ? f.i64.fromF32(x()) : f.i64.fromI32(x());
  if (to === 'i32') return from === 'f32' ? f.i32.fromF32(x()) : f.i64.toI32(x());
  // to f32
  return from === 'i64' ? f.i64.toF32(x()) : f.f32.fromI32(x());
}
