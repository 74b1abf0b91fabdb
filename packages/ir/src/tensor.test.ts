import { describe, expect, it } from 'vitest';
import { DTypeError } from './errors.js';
import { tensor } from './tensor.js';

describe('tensor()', () => {
  it('refuses an unknown dtype and non-finite i64 values with typed errors', () => {
    expect(() => tensor('f64' as 'f32', [1])).toThrow(DTypeError);
    expect(() => tensor('f64' as 'f32', [1])).toThrow("unknown dtype \"f64\" (expected f32, f16, i32, i64, bool)");
    expect(() => tensor('i64', [2], [1, NaN])).toThrow('i64 values must be finite, got NaN at index 1');
  });

  it('keeps bigint i64 values exact', () => {
    expect(tensor('i64', [1], [2n ** 62n + 1n]).data[0]).toBe(2n ** 62n + 1n);
  });
});
