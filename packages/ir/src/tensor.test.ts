import { describe, expect, it } from 'vitest';
import { DTypeError } from './errors.js';
import { tensor } from './tensor.js';

describe('tensor()', () => {
  it('refuses an unknown dtype and non-finite i64 values with typed errors', () => {
    expect(() => tensor('f64' as 'f32', [1])).toThrow(DTypeError);
    expect(() => tensor('f64' as 'f32', [1])).toThrow("unknown dtype \"f64\" (expected f32, f16, i32, i64, i8, u8, bool)");
    expect(() => tensor('i64', [2], [1, NaN])).toThrow('i64 values must be finite, got NaN at index 1');
  });

  it('keeps bigint i64 values exact', () => {
    expect(tensor('i64', [1], [2n ** 62n + 1n]).data[0]).toBe(2n ** 62n + 1n);
  });
});

describe('8-bit integer tensors', () => {
  it('store i8 in Int8Array and u8 in Uint8Array, wrapping like C', () => {
    const signed = tensor('i8', [3], [-128, 127, 200]);
    expect(signed.data).toBeInstanceOf(Int8Array);
    expect(Array.from(signed.data)).toEqual([-128, 127, -56]);
    const unsigned = tensor('u8', [2], [255, -1]);
    expect(unsigned.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(unsigned.data)).toEqual([255, 255]);
  });
});
