/**
 * Elements of a scalar type in memory, for kernels that work on any dtype
 * the wasm backend computes: f32, i32, i64 (an i64 local), bool (a byte,
 * held as an i32 0/1).
 */
import type { ScalarType } from '@ladon/ir';
import type { Expr, FunctionBuilder, ValueType } from '../binaryen-module.js';

/** log2 of the bytes per element. */
export const ELEMENT_SHIFT: Readonly<Record<ScalarType, number>> = { f32: 2, i32: 2, i64: 3, bool: 0 };

/** The local type that holds one element. */
export const LOCAL_TYPE: Readonly<Record<ScalarType, ValueType>> = { f32: 'f32', i32: 'i32', i64: 'i64', bool: 'i32' };

/** Loads one element at `pointer`. */
export function loadElement(f: FunctionBuilder, type: ScalarType, pointer: Expr): Expr {
  return { f32: f.f32.load, i32: f.i32.load, i64: f.i64.load, bool: f.i32.load8 }[type](pointer);
}

/** Stores one element at `pointer`. */
export function storeElement(f: FunctionBuilder, type: ScalarType, pointer: Expr, value: Expr): Expr {
  return { f32: f.f32.store, i32: f.i32.store, i64: f.i64.store, bool: f.i32.store8 }[type](pointer, value);
}

/** `base + index · element size`. */
export function elementAt(f: FunctionBuilder, type: ScalarType, base: Expr, index: Expr): Expr {
  return f.i32.add(base, f.i32.shl(index, ELEMENT_SHIFT[type]));
}

/** The comparisons of one type (f32, or signed integers of 32 or 64 bits). */
export function comparisons(f: FunctionBuilder, type: ScalarType): Pick<FunctionBuilder['f32'], 'gt' | 'lt' | 'ge' | 'le'> {
  return type === 'f32' ? f.f32 : type === 'i64' ? f.i64 : f.i32;
}
