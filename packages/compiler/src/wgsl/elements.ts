/**
 * How tensors look on the GPU, and WGSL snippets to read and write them.
 * f32 stays f32; f16 is `half_t` (see kernel.ts); i32 and i64 are i32 (the
 * runtime narrows i64 at upload: WGSL has no 64-bit integers); i8 and u8
 * are i32 too (widened at upload; a kernel storing them wraps to 8 bits,
 * see {@link wrapToDtype}); bool is u32 (0 or 1). Float kernels compute in
 * f32.
 */
import { LadonError, type DType } from '@ladon/ir';
import type { WgslElement } from './kernel.js';

/** The storage element of a dtype on the GPU. */
export function deviceElement(dtype: DType): WgslElement {
  switch (dtype) {
    case 'f32':
      return 'f32';
    case 'f16':
      return 'half_t';
    case 'i32':
    case 'i64':
    case 'i8':
    case 'u8':
      return 'i32';
    case 'bool':
      return 'u32';
  }
}

/** An i32 expression wrapped to the range of an 8-bit dtype (two's complement, like C), or unchanged for other dtypes. */
export function wrapToDtype(expression: string, dtype: DType): string {
  if (dtype === 'i8') return `((${expression}) << 24u) >> 24u`;
  if (dtype === 'u8') return `(${expression}) & 255i`;
  return expression;
}

/** The element a bit-for-bit copy moves: any 32-bit element is copied as u32. */
export function copyElement(dtype: DType): WgslElement {
  return deviceElement(dtype) === 'half_t' ? 'half_t' : 'u32';
}

/** The type arithmetic runs in for an element: f32 for floats, else the element itself. */
export function computeType(element: WgslElement): 'f32' | 'i32' | 'u32' {
  return element === 'half_t' ? 'f32' : element;
}

/** `array[index]` converted to its compute type. */
export function load(array: string, index: string, element: WgslElement): string {
  return element === 'half_t' ? `f32(${array}[${index}])` : `${array}[${index}]`;
}

/** A compute-type expression converted for storing into an element. */
export function store(expression: string, element: WgslElement): string {
  return element === 'half_t' ? `half_t(${expression})` : expression;
}

/** Short tag of an element for kernel names. */
export function elementTag(element: WgslElement): string {
  return { f32: 'f32', half_t: 'f16', i32: 'i32', u32: 'u32' }[element];
}

/** Pads a list on the left to `rank` entries with `fill` (shapes and strides of lower rank). */
export function padLeft<T>(values: readonly T[], rank: number, fill: T, what: string): T[] {
  if (values.length > rank) throw new LadonError('E_UNSUPPORTED', `${what} has rank ${values.length}; the WGSL kernels handle rank <= ${rank}`);
  return [...new Array<T>(rank - values.length).fill(fill), ...values];
}

/** A WGSL f32 literal that round-trips `value` (finite values only). */
export function f32Literal(value: number): string {
  if (!Number.isFinite(value)) throw new LadonError('E_INTERNAL', `cannot write ${value} as a WGSL literal`);
  const text = String(Math.fround(value));
  return /[.e]/.test(text) ? text : `${text}.0`;
}
