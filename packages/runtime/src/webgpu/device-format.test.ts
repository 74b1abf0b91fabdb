/** Tensors to and from their GPU layout, for every dtype, with and without f16 storage. */
import { tensor, type DType, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { dataFromBytes, deviceElementBytes, fromDeviceBytes, toDeviceBytes } from './device-format.js';

const SAMPLES: readonly Tensor[] = [
  tensor('f32', [3], [1.5, -2, 1e-8]),
  tensor('f16', [3], [0.5, -65504, 0.0999755859375]),
  tensor('i32', [2], [-7, 2 ** 30]),
  tensor('i64', [3], [1n, -5n, 123456789n]),
  tensor('bool', [4], [true, false, false, true]),
];

function roundTrip(value: Tensor, f16Storage: boolean): Tensor {
  const bytes = toDeviceBytes(value.dtype, value.data, f16Storage);
  expect(bytes.byteLength).toBe(value.data.length * deviceElementBytes(value.dtype, f16Storage));
  return fromDeviceBytes(value.dtype, value.shape, bytes, f16Storage);
}

describe('device formats', () => {
  it.each(SAMPLES.map((value) => [value.dtype as DType, value] as const))('%s survives upload and readback', (_dtype, value) => {
    expect(roundTrip(value, false)).toEqual(value);
    expect(roundTrip(value, true)).toEqual(value);
  });

  it('stores bool as u32, i64 as saturated i32, f16 as f32 without shader-f16', () => {
    expect(Array.from(new Uint32Array(toDeviceBytes('bool', new Uint8Array([1, 0, 1]), false).slice().buffer))).toEqual([1, 0, 1]);
    const wide = toDeviceBytes('i64', new BigInt64Array([2n ** 40n, -(2n ** 40n)]), false);
    expect(Array.from(new Int32Array(wide.slice().buffer))).toEqual([2147483647, -2147483648]);
    expect(Array.from(new Float32Array(toDeviceBytes('f16', tensor('f16', [1], [0.5]).data, false).slice().buffer))).toEqual([0.5]);
  });

  it('reads weights from (unaligned) program bytes', () => {
    const bytes = new Uint8Array(9);
    new DataView(bytes.buffer).setFloat32(1, 2.5, true);
    new DataView(bytes.buffer).setFloat32(5, -1, true);
    expect(Array.from(dataFromBytes('f32', bytes.subarray(1), 2) as Float32Array)).toEqual([2.5, -1]);
  });
});
