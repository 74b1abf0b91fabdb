import { describe, it, expect } from 'vitest';
import { AttributeError, UnsupportedError } from '../errors.js';
import { InferContext } from '../op-def.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor, toNumbers } from '../tensor.js';
import { Cast, CastLike } from './cast.js';

const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const BOOL = 9;
const FLOAT16 = 10;
const DOUBLE = 11;

describe('Cast', () => {
  it('infers the target dtype from the ONNX code, keeping a symbolic shape', () => {
    expect(inferOp(Cast, [{ dtype: 'i64', shape: ['batch', 'seq'] }], { to: FLOAT16 })).toEqual([{ dtype: 'f16', shape: ['batch', 'seq'] }]);
    expect(inferOp(Cast, [{ dtype: 'f32', shape: [] }], { to: BOOL })).toEqual([{ dtype: 'bool', shape: [] }]);
  });

  it('truncates floats towards zero, maps NaN to 0 and saturates', () => {
    const x = tensor('f32', [6], [2.7, -2.7, NaN, Infinity, -(2 ** 40), 0.5]);
    expect(toNumbers(evaluateOp(Cast, [x], { to: INT32 })[0]!)).toEqual([2, -2, 0, 2147483647, -2147483648, 0]);
    const y = evaluateOp(Cast, [x], { to: INT64 })[0]!;
    expect(Array.from(y.data as BigInt64Array)).toEqual([2n, -2n, 0n, 2n ** 63n - 1n, -(2n ** 40n), 0n]);
  });

  it('casts to bool as x != 0 (NaN is true) and from bool as 0/1', () => {
    const b = evaluateOp(Cast, [tensor('f32', [4], [0, -0, NaN, 0.1])], { to: BOOL })[0]!;
    expect(Array.from(b.data as Uint8Array)).toEqual([0, 0, 1, 1]);
    const i = evaluateOp(Cast, [tensor('i64', [2], [0n, -3n])], { to: BOOL })[0]!;
    expect(Array.from(i.data as Uint8Array)).toEqual([0, 1]);
    expect(toNumbers(evaluateOp(Cast, [tensor('bool', [2], [true, false])], { to: FLOAT })[0]!)).toEqual([1, 0]);
  });

  it('rounds to f16 and widens f16 exactly', () => {
    const h = evaluateOp(Cast, [tensor('f32', [3], [1 / 3, 70000, 2049])], { to: FLOAT16 })[0]!;
    expect(h.dtype).toBe('f16');
    // 1/3 -> 0x3555 (0.333251953125); 70000 overflows; 2049 is a tie between 2048 and 2050 -> even (2048).
    expect(toNumbers(h)).toEqual([0.333251953125, Infinity, 2048]);
    expect(toNumbers(evaluateOp(Cast, [h], { to: FLOAT })[0]!)).toEqual([0.333251953125, Infinity, 2048]);
  });

  it('wraps i64 -> i32 like C and widens i32 -> i64', () => {
    const w = evaluateOp(Cast, [tensor('i64', [2], BigInt64Array.of(2n ** 32n + 5n, -1n))], { to: INT32 })[0]!;
    expect(Array.from(w.data as Int32Array)).toEqual([5, -1]);
    const l = evaluateOp(Cast, [tensor('i32', [1], [-7])], { to: INT64 })[0]!;
    expect(Array.from(l.data as BigInt64Array)).toEqual([-7n]);
  });

  it('passes known shape contents through to numeric targets', () => {
    const node = { op: 'Cast', inputs: ['s'], outputs: ['c'], attrs: { to: FLOAT } };
    const type = { dtype: 'i64' as const, shape: [2] };
    const value = (to: number) =>
      Cast.inferValue!(new InferContext({ ...node, attrs: { to } }, Cast, [type], [['batch', 64]], [undefined]));
    expect(value(FLOAT)).toEqual(['batch', 64]);
    expect(value(INT32)).toEqual(['batch', 64]);
    expect(value(BOOL)).toBeUndefined();
    expect(value(FLOAT16)).toBeUndefined(); // a symbol might not be representable in f16
  });

  it('rejects unsupported and invalid type codes', () => {
    const x = [{ dtype: 'f32' as const, shape: [2] }];
    expect(() => inferOp(Cast, x, { to: DOUBLE })).toThrow(UnsupportedError);
    expect(() => inferOp(Cast, x, { to: DOUBLE })).toThrow(/Cast to DOUBLE \(11\) is not supported/);
    expect(() => inferOp(Cast, x, { to: 99 })).toThrow(AttributeError);
    expect(() => inferOp(Cast, x, {})).toThrow(/missing required attribute 'to'/);
  });
});

describe('CastLike', () => {
  it('converts to the dtype of target_type, whose shape and values do not matter', () => {
    expect(inferOp(CastLike, [{ dtype: 'f32', shape: ['n', 4] }, { dtype: 'f16', shape: [0] }])).toEqual([{ dtype: 'f16', shape: ['n', 4] }]);
    const [y] = evaluateOp(CastLike, [tensor('f32', [3], [2.7, -2.7, NaN]), tensor('i64', [0], [])]);
    expect(y!.dtype).toBe('i64');
    expect(Array.from(y!.data as BigInt64Array)).toEqual([2n, -2n, 0n]);
  });
});
