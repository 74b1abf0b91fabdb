import { describe, expect, it } from 'vitest';
import { argmax, clsToPatches, massInBox } from './box-mass.js';

describe('massInBox', () => {
  it('scores a uniform map as the box area fraction, partial cells by their overlap', () => {
    const uniform = new Array(64).fill(1);
    expect(massInBox(uniform, 8, 32, [0, 0, 8, 4])).toBeCloseTo((8 * 4) / (32 * 32), 12);
    expect(massInBox(uniform, 8, 32, [2, 2, 6, 6])).toBeCloseTo(16 / 1024, 12);
  });

  it('puts all the mass inside when only covered cells weigh', () => {
    const map = new Array(16).fill(0);
    map[1 * 4 + 2] = 3; // cell row 1, column 2: pixels x 16..24, y 8..16 of a 32 px image
    expect(massInBox(map, 4, 32, [16, 8, 24, 16])).toBe(1);
    expect(massInBox(map, 4, 32, [20, 8, 24, 16])).toBe(0.5);
    expect(massInBox(map, 4, 32, [0, 0, 16, 8])).toBe(0);
    expect(massInBox(new Array(16).fill(0), 4, 32, [0, 0, 32, 32])).toBe(0);
  });
});

describe('clsToPatches and argmax', () => {
  it('reads row 0 of a head without the CLS column', () => {
    const tokens = 3;
    const attention = Array.from({ length: 2 * tokens * tokens }, (_, index) => index);
    expect(Array.from(clsToPatches(attention, 1, tokens))).toEqual([10, 11]);
    expect(argmax([1, 5, 5, 2])).toBe(1);
  });
});
