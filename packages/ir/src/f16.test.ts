import { describe, expect, it } from 'vitest';
import { f16BitsToF32, f32ToF16Bits } from './f16.js';

describe('f16 conversion', () => {
  it('encodes well-known values', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00);
    expect(f32ToF16Bits(-2)).toBe(0xc000);
    expect(f32ToF16Bits(65504)).toBe(0x7bff);
    expect(f32ToF16Bits(1e6)).toBe(0x7c00);
    expect(f32ToF16Bits(-Infinity)).toBe(0xfc00);
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001);
    expect(f32ToF16Bits(0.5 * 2 ** -24)).toBe(0); // ties to even
    expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN)))).toBe(true);
  });

  it('rounds to nearest even and round-trips every finite half', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway, even stays
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, odd rounds up
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x7c00; bits++) {
      if (f32ToF16Bits(f16BitsToF32(bits)) !== bits) mismatches.push(bits);
      if (f32ToF16Bits(-f16BitsToF32(bits)) !== (bits | 0x8000)) mismatches.push(bits | 0x8000);
    }
    expect(mismatches).toEqual([]);
  });
});
