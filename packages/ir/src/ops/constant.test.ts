import { describe, expect, it } from 'vitest';
import { AttributeError, UnsupportedError } from '../errors.js';
import type { Attributes } from '../graph.js';
import { InferContext } from '../op-def.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Constant } from './constant.js';

function knownOf(attrs: Attributes) {
  return Constant.inferValue?.(new InferContext({ op: 'Constant', inputs: [], outputs: ['c'], attrs }, Constant, [], [], []));
}

describe('Constant inference', () => {
  it('types the value attribute and knows small int contents', () => {
    const value = tensor('i64', [2], [3, 4]);
    expect(inferOp(Constant, [], { value })[0]).toEqual({ dtype: 'i64', shape: [2] });
    expect(knownOf({ value })).toEqual([3, 4]);
    expect(knownOf({ value: tensor('f32', [2], [3, 4]) })).toBeUndefined();
    expect(knownOf({ value: tensor('i32', [2, 1], [3, 4]) })).toBeUndefined();
  });

  it('supports the scalar and list forms', () => {
    expect(inferOp(Constant, [], { value_float: 1.5 })[0]).toEqual({ dtype: 'f32', shape: [] });
    expect(inferOp(Constant, [], { value_floats: [1, 2, 3] })[0]).toEqual({ dtype: 'f32', shape: [3] });
    expect(inferOp(Constant, [], { value_int: 7 })[0]).toEqual({ dtype: 'i64', shape: [] });
    expect(knownOf({ value_int: 7 })).toEqual([7]);
    expect(knownOf({ value_ints: [1, -1] })).toEqual([1, -1]);
  });

  it('needs exactly one supported value attribute', () => {
    expect(() => inferOp(Constant, [])).toThrow(AttributeError);
    expect(() => inferOp(Constant, [])).toThrow(/exactly one of value, .*got none/);
    expect(() => inferOp(Constant, [], { value_int: 1, value_float: 2 })).toThrow(/got value_float and value_int/);
    expect(() => inferOp(Constant, [], { value_string: 'hi' })).toThrow(UnsupportedError);
  });
});

describe('Constant evaluation', () => {
  it('produces the tensor', () => {
    const [ints] = evaluateOp(Constant, [], { value_ints: [5, -6] });
    expect(ints?.dtype).toBe('i64');
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([5n, -6n]);
    const [floats] = evaluateOp(Constant, [], { value_floats: [0.5, 2] });
    expect(Array.from(floats!.data as Float32Array)).toEqual([0.5, 2]);
    const [flag] = evaluateOp(Constant, [], { value: tensor('bool', [1], [true]) });
    expect(Array.from(flag!.data as Uint8Array)).toEqual([1]);
    const [one] = evaluateOp(Constant, [], { value_float: 0.25 });
    expect(one?.shape).toEqual([]);
    expect(Array.from(one!.data as Float32Array)).toEqual([0.25]);
  });
});
