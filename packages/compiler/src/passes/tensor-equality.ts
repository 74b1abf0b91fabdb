/**
 * Exact tensor equality and a content hash, for merging duplicate constants
 * and comparing tensor attributes. Equality is bit-for-bit: NaNs with the
 * same bits are equal, 0 and -0 are not.
 */
import type { Tensor } from '@ladon/ir';

function bytesOf(value: Tensor): Uint8Array {
  return new Uint8Array(value.data.buffer, value.data.byteOffset, value.data.byteLength);
}

/** True when both tensors have the same dtype, shape and bits. */
export function tensorsEqual(a: Tensor, b: Tensor): boolean {
  if (a === b) return true;
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((dim, axis) => dim !== b.shape[axis])) return false;
  const left = bytesOf(a);
  const right = bytesOf(b);
  if (left.length !== right.length) return false;
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  return true;
}

/** A hash of dtype, shape and bits (FNV-1a); equal tensors hash equally. */
export function tensorHash(value: Tensor): string {
  let hash = 0x811c9dc5;
  for (const byte of bytesOf(value)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${value.dtype}[${value.shape.join(',')}]#${(hash >>> 0).toString(16)}`;
}
