import { f32ToF16Bits, LadonError, tensor, type Tensor } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { decodeTensor, encodeTensor } from './tensor-proto.js';
import { ElemType, encodeTensorFields } from './testing/model-builder.js';

function roundTrip(value: Tensor): Tensor {
  const decoded = decodeTensor(encodeTensor('t', value));
  expect(decoded.name).toBe('t');
  return decoded.tensor;
}

describe('encodeTensor / decodeTensor', () => {
  it('round-trips every dtype through raw_data, including special floats', () => {
    const cases: Tensor[] = [
      tensor('f32', [2, 3], [0, -0, 1.5, Infinity, -Infinity, NaN]),
      tensor('f16', [3], [1, -2.5, 65504]),
      tensor('i32', [2], [-(2 ** 31), 2 ** 31 - 1]),
      tensor('i64', [3], BigInt64Array.of(-(2n ** 63n), 2n ** 62n + 1n, 0n)),
      tensor('bool', [4], [1, 0, 0, 1]),
      tensor('i8', [3], [-128, 0, 127]),
      tensor('u8', [2], [0, 255]),
      tensor('f32', [], [3.25]),
      tensor('f32', [0, 5]),
    ];
    for (const value of cases) {
      const back = roundTrip(value);
      expect(back.dtype).toBe(value.dtype);
      expect(back.shape).toEqual(value.shape);
      expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(value.data as ArrayLike<number | bigint>));
    }
  });

  it('reads the typed fields: float_data, int32_data (int32, int8, uint8, f16 bits, bool) and int64_data', () => {
    const floats = decodeTensor(encodeTensorFields({ name: 'f', dims: [2], data_type: ElemType.FLOAT, float_data: [1.5, -2] }));
    expect(Array.from(floats.tensor.data as Float32Array)).toEqual([1.5, -2]);
    const halves = decodeTensor(encodeTensorFields({ dims: [2], data_type: ElemType.FLOAT16, int32_data: [f32ToF16Bits(1), f32ToF16Bits(-0.5)] }));
    expect(halves.tensor.dtype).toBe('f16');
    expect(Array.from(halves.tensor.data as Uint16Array)).toEqual([0x3c00, 0xb800]);
    const bools = decodeTensor(encodeTensorFields({ dims: [3], data_type: ElemType.BOOL, int32_data: [1, 0, 7] }));
    expect(Array.from(bools.tensor.data as Uint8Array)).toEqual([1, 0, 1]);
    const ints = decodeTensor(encodeTensorFields({ dims: [2], data_type: ElemType.INT32, int32_data: [-3, 4] }));
    expect(Array.from(ints.tensor.data as Int32Array)).toEqual([-3, 4]);
    const longs = decodeTensor(encodeTensorFields({ dims: [2], data_type: ElemType.INT64, int64_data: ['9223372036854775807', -5] }));
    expect(Array.from(longs.tensor.data as BigInt64Array)).toEqual([2n ** 63n - 1n, -5n]);
    expect(longs.name).toBe('');
    const signed = decodeTensor(encodeTensorFields({ dims: [2], data_type: ElemType.INT8, int32_data: [-128, 127] }));
    expect(signed.tensor.data).toEqual(Int8Array.of(-128, 127));
    const unsigned = decodeTensor(encodeTensorFields({ dims: [2], data_type: ElemType.UINT8, int32_data: [0, 255] }));
    expect(unsigned.tensor.data).toEqual(Uint8Array.of(0, 255));
  });
});

it('refuses to encode a tensor whose data does not fill its shape', () => {
  expect(() => encodeTensor('bad', { dtype: 'f32', shape: [3], data: new Float32Array(2) })).toThrow(/cannot encode tensor 'bad'/);
});

describe('decodeTensor errors', () => {
  const expectImportError = (bytes: Uint8Array, pattern: RegExp): void => {
    let thrown: unknown;
    try {
      decodeTensor(bytes, { fileName: 'x/input_0.pb' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LadonError);
    expect((thrown as LadonError).name).toBe('OnnxImportError');
    expect((thrown as LadonError).code).toBe('E_IMPORT');
    expect((thrown as LadonError).location.file).toBe('x/input_0.pb');
    expect((thrown as Error).message).toMatch(pattern);
  };

  it('names an unsupported element type and the tensor', () => {
    expectImportError(encodeTensorFields({ name: 'weights', dims: [1], data_type: ElemType.DOUBLE, double_data: [1] }), /tensor 'weights'.*DOUBLE \(11\)/);
  });

  it('rejects dims that contradict the data, before allocating', () => {
    expectImportError(encodeTensorFields({ dims: [2, 3], data_type: ElemType.FLOAT, float_data: [1, 2] }), /need 6 elements but float_data has 2/);
    expectImportError(encodeTensorFields({ dims: [2], data_type: ElemType.FLOAT, raw_data: new Uint8Array(5) }), /8 bytes\) but raw_data has 5/);
    expectImportError(encodeTensorFields({ dims: [1e9, 1e9, 1e9], data_type: ElemType.FLOAT, raw_data: new Uint8Array(4) }), /raw_data has 4 bytes/);
    expectImportError(encodeTensorFields({ dims: [2 ** 40], data_type: ElemType.INT64 }), /need 1099511627776 elements/);
  });

  it('rejects negative dims, external data, segments and garbage', () => {
    expectImportError(encodeTensorFields({ dims: [-1], data_type: ElemType.FLOAT }), /non-negative/);
    expectImportError(
      encodeTensorFields({ dims: [1], data_type: ElemType.FLOAT, data_location: 1, external_data: [{ key: 'location', value: 'w.bin' }] }),
      /external file/,
    );
    expectImportError(encodeTensorFields({ dims: [1], data_type: ElemType.FLOAT, segment: { begin: 0, end: 1 }, float_data: [1] }), /segments/);
    expectImportError(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /not a valid ONNX TensorProto/);
    expectImportError(new Uint8Array([0x08]), /not a valid ONNX TensorProto/);
  });
});
