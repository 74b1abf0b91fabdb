/**
 * Tensors on the GPU: f32 as f32; f16 as f16 with `shader-f16` storage,
 * else widened to f32 at upload and rounded back at readback; i32 as i32;
 * i64 narrowed to i32 (WGSL has no 64-bit integers; values saturate); i8
 * and u8 widened to one i32 per element (kernels wrap what they store to
 * 8 bits); bool as one u32 (0 or 1) per element.
 */
import { allocData, f16ArrayToF32, f32ArrayToF16, type DType, type Tensor, type TensorData } from '@ladon/ir';

/** Bytes per element on the device. */
export function deviceElementBytes(dtype: DType, f16Storage: boolean): number {
  return dtype === 'f16' && f16Storage ? 2 : 4;
}

function asBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The device bytes of tensor data. */
export function toDeviceBytes(dtype: DType, data: TensorData, f16Storage: boolean): Uint8Array {
  switch (dtype) {
    case 'f32':
    case 'i32':
      return asBytes(data);
    case 'f16':
      return f16Storage ? asBytes(data) : asBytes(f16ArrayToF32(data as Uint16Array));
    case 'i64':
      return asBytes(Int32Array.from(data as BigInt64Array, (value) => Number(value < -2147483648n ? -2147483648n : value > 2147483647n ? 2147483647n : value)));
    case 'i8':
    case 'u8':
      return asBytes(Int32Array.from(data as Int8Array | Uint8Array));
    case 'bool':
      return asBytes(Uint32Array.from(data as Uint8Array));
  }
}

/** Tensor data of `dtype` stored in little-endian `bytes` (the program's weights). */
export function dataFromBytes(dtype: DType, bytes: Uint8Array, count: number): TensorData {
  const data = allocData(dtype, count);
  asBytes(data).set(bytes.subarray(0, asBytes(data).byteLength));
  return data;
}

/** A tensor read back from device bytes. */
export function fromDeviceBytes(dtype: DType, shape: readonly number[], bytes: Uint8Array, f16Storage: boolean): Tensor {
  const count = shape.reduce((product, dim) => product * dim, 1);
  const aligned = new Uint8Array(count * deviceElementBytes(dtype, f16Storage));
  aligned.set(bytes.subarray(0, aligned.byteLength));
  const data = allocData(dtype, count);
  switch (dtype) {
    case 'f32':
    case 'i32':
      asBytes(data).set(aligned);
      break;
    case 'f16':
      (data as Uint16Array).set(f16Storage ? new Uint16Array(aligned.buffer) : f32ArrayToF16(new Float32Array(aligned.buffer)));
      break;
    case 'i64':
      (data as BigInt64Array).set(Array.from(new Int32Array(aligned.buffer), (value) => BigInt(value)));
      break;
    case 'i8':
    case 'u8':
      // Assigning into Int8Array / Uint8Array wraps to 8 bits.
      (data as Int8Array | Uint8Array).set(new Int32Array(aligned.buffer));
      break;
    case 'bool':
      (data as Uint8Array).set(Array.from(new Uint32Array(aligned.buffer), (value) => (value ? 1 : 0)));
      break;
  }
  return { dtype, shape: [...shape], data };
}
