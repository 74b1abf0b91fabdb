import { describe, it, expect } from 'vitest';
import { DTYPES } from './dtype.js';
import { dtypeToOnnxType, onnxTypeName, onnxTypeToDType } from './onnx-dtype.js';

describe('onnx dtype codes', () => {
  it('maps the supported TensorProto codes', () => {
    expect(onnxTypeToDType(1)).toBe('f32');
    expect(onnxTypeToDType(10)).toBe('f16');
    expect(onnxTypeToDType(6)).toBe('i32');
    expect(onnxTypeToDType(7)).toBe('i64');
    expect(onnxTypeToDType(9)).toBe('bool');
  });

  it('round-trips every IR dtype', () => {
    for (const dtype of DTYPES) expect(onnxTypeToDType(dtypeToOnnxType(dtype))).toBe(dtype);
  });

  it('has no IR dtype for other codes, and names them', () => {
    expect(onnxTypeToDType(11)).toBeUndefined();
    expect(onnxTypeToDType(0)).toBeUndefined();
    expect(onnxTypeToDType(99)).toBeUndefined();
    expect(onnxTypeName(11)).toBe('DOUBLE (11)');
    expect(onnxTypeName(99)).toBe('unknown type 99');
  });
});
