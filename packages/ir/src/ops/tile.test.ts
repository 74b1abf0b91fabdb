import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Tile } from './tile.js';

describe('Tile', () => {
  const repeats = { dtype: 'i64' as const, shape: [2] };
  it('multiplies each dim by its repeat, symbolically or left to the host', () => {
    const x = { dtype: 'f32' as const, shape: ['seq', 3] };
    expect(inferOp(Tile, [x, repeats], {}, { constants: [undefined, tensor('i64', [2], [2, 4])] })[0]?.shape).toEqual(['2*seq', 12]);
    expect(inferOp(Tile, [x, repeats])[0]?.shape).toEqual(['?', '?']);
    expect(inferOp(Tile, [{ dtype: 'f32', shape: [0, 3] }, repeats])[0]?.shape).toEqual([0, '?']);
    expect(() => inferOp(Tile, [x, { dtype: 'i64', shape: [3] }])).toThrow(ShapeError);
    expect(() => inferOp(Tile, [x, repeats], {}, { constants: [undefined, tensor('i64', [2], [1, -1])] })).toThrow(/negative entry -1/);
  });

  it('repeats the input along every axis', () => {
    const [out] = evaluateOp(Tile, [tensor('i32', [2, 2], [1, 2, 3, 4]), tensor('i64', [2], [2, 3])]);
    expect(out?.shape).toEqual([4, 6]);
    expect(Array.from(out!.data as Int32Array)).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    expect(evaluateOp(Tile, [tensor('f32', [2, 2]), tensor('i64', [2], [0, 1])])[0]?.shape).toEqual([0, 2]);
  });
});
