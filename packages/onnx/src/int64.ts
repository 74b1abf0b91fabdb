/**
 * int64 values from the decoder: numbers, or Long-like `{ low, high }` pairs
 * (protobufjs uses Long when the `long` package is present).
 */
import type { Int64Like } from './proto-messages.js';

/** The exact value as a signed 64-bit BigInt. */
export function int64ToBigInt(value: Int64Like): bigint {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/** The value as a JS number (exact up to 2^53; larger magnitudes are rounded). */
export function int64ToNumber(value: Int64Like): number {
  if (typeof value === 'number') return value;
  return Number(int64ToBigInt(value));
}
