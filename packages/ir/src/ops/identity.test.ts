import { describe, expect, it } from 'vitest';
import { ArityError } from '../errors.js';
import { InferContext } from '../op-def.js';
import { evaluateOp, inferOp } from '../testing/op-harness.js';
import { tensor } from '../tensor.js';
import { Identity } from './identity.js';

describe('Identity', () => {
  it('keeps the type, including symbolic dims', () => {
    expect(inferOp(Identity, [{ dtype: 'f16', shape: ['batch', 'seq', 64] }])[0]).toEqual({ dtype: 'f16', shape: ['batch', 'seq', 64] });
  });

  it('passes known contents through', () => {
    const ctx = new InferContext({ op: 'Identity', inputs: ['x'], outputs: ['y'], attrs: {} }, Identity, [{ dtype: 'i64', shape: [2] }], [['batch', 8]], []);
    expect(Identity.inferValue?.(ctx)).toEqual(['batch', 8]);
  });

  it('returns i64, f32 and bool inputs unchanged', () => {
    const [ints] = evaluateOp(Identity, [tensor('i64', [2], [1, -2])]);
    expect(Array.from(ints!.data as BigInt64Array)).toEqual([1n, -2n]);
    const [floats] = evaluateOp(Identity, [tensor('f32', [1, 2], [0.5, 3])]);
    expect(floats?.shape).toEqual([1, 2]);
    expect(Array.from(floats!.data as Float32Array)).toEqual([0.5, 3]);
    const [flags] = evaluateOp(Identity, [tensor('bool', [2], [false, true])]);
    expect(Array.from(flags!.data as Uint8Array)).toEqual([0, 1]);
  });

  it('needs its input', () => {
    expect(() => inferOp(Identity, [undefined])).toThrow(ArityError);
    expect(() => inferOp(Identity, [undefined])).toThrow(/input 0 \(input\) is required but missing/);
  });
});
