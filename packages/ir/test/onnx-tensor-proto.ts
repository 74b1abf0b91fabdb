/**
 * Test helper: a small decoder for serialized `onnx.TensorProto` messages
 * (the `.pb` files of ONNX backend tests), written against the protobuf wire
 * format. Fields read: 1 dims (int64, packed or not), 2 data_type, 4
 * float_data, 5 int32_data, 7 int64_data, 8 name, 9 raw_data (little-endian),
 * 10 double_data. Others are skipped. DOUBLE tensors are narrowed to f32
 * (the IR has no f64).
 */
import type { DType } from '../src/dtype.js';
import { tensor, type Tensor } from '../src/tensor.js';

/** TensorProto.DataType codes this decoder understands. */
export const ONNX_DATA_TYPES: Readonly<Record<number, DType>> = { 1: 'f32', 6: 'i32', 7: 'i64', 9: 'bool', 10: 'f16', 11: 'f32' };

/** A decoded TensorProto. */
export interface DecodedTensorProto {
  /** The `name` field ('' when absent). */
  readonly name: string;
  /** The raw `data_type` code. */
  readonly dataType: number;
  /** The tensor, in the IR's dtype for `dataType`. */
  readonly tensor: Tensor;
}

interface RawFields {
  name: string;
  dataType: number;
  dims: number[];
  raw?: Uint8Array;
  floats: number[];
  doubles: number[];
  int32s: number[];
  int64s: bigint[];
}

/** Decodes one serialized TensorProto. */
export function decodeTensorProto(bytes: Uint8Array): DecodedTensorProto {
  const fields = readFields(bytes);
  const dtype = ONNX_DATA_TYPES[fields.dataType];
  if (!dtype) throw new Error(`TensorProto '${fields.name}': unsupported data_type ${fields.dataType}`);
  const count = fields.dims.reduce((size, dim) => size * dim, 1);
  const values = fields.raw ? fromRaw(fields.raw, fields.dataType, count) : fromTyped(fields, dtype);
  if (values.length !== count) {
    throw new Error(`TensorProto '${fields.name}': dims [${fields.dims}] need ${count} values, got ${values.length}`);
  }
  return { name: fields.name, dataType: fields.dataType, tensor: tensor(dtype, fields.dims, values) };
}

function readFields(bytes: Uint8Array): RawFields {
  const reader = new WireReader(bytes);
  const fields: RawFields = { name: '', dataType: 0, dims: [], floats: [], doubles: [], int32s: [], int64s: [] };
  while (!reader.done()) {
    const key = Number(reader.varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1) reader.repeatedVarints(wire, (v) => fields.dims.push(Number(BigInt.asIntN(64, v))));
    else if (field === 2 && wire === 0) fields.dataType = Number(reader.varint());
    else if (field === 4) reader.repeatedFixed(wire, 5, 4, (view, at) => fields.floats.push(view.getFloat32(at, true)));
    else if (field === 5) reader.repeatedVarints(wire, (v) => fields.int32s.push(Number(BigInt.asIntN(32, v))));
    else if (field === 7) reader.repeatedVarints(wire, (v) => fields.int64s.push(BigInt.asIntN(64, v)));
    else if (field === 8 && wire === 2) fields.name = new TextDecoder().decode(reader.bytes());
    else if (field === 9 && wire === 2) fields.raw = reader.bytes();
    else if (field === 10) reader.repeatedFixed(wire, 1, 8, (view, at) => fields.doubles.push(view.getFloat64(at, true)));
    else reader.skip(wire);
  }
  return fields;
}

/** Values from raw_data: f16 stays as bits, i64 as bigint, everything else as numbers. */
function fromRaw(raw: Uint8Array, dataType: number, count: number): ArrayLike<number> | ArrayLike<bigint> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = (size: number, get: (at: number) => number | bigint) => Array.from({ length: count }, (_, i) => get(i * size));
  switch (dataType) {
    case 1:
      return Float32Array.from(read(4, (at) => view.getFloat32(at, true)) as number[]);
    case 11:
      return read(8, (at) => view.getFloat64(at, true)) as number[];
    case 10:
      return Uint16Array.from(read(2, (at) => view.getUint16(at, true)) as number[]);
    case 6:
      return read(4, (at) => view.getInt32(at, true)) as number[];
    case 7:
      return BigInt64Array.from(read(8, (at) => view.getBigInt64(at, true)) as bigint[]);
    case 9:
      return Uint8Array.from(raw.subarray(0, count), (byte) => (byte ? 1 : 0));
    default:
      throw new Error(`unsupported data_type ${dataType}`);
  }
}

/** Values from the typed repeated fields (f16 and bool travel in int32_data). */
function fromTyped(fields: RawFields, dtype: DType): ArrayLike<number> | ArrayLike<bigint> {
  if (fields.dataType === 1) return Float32Array.from(fields.floats);
  if (fields.dataType === 11) return fields.doubles;
  if (dtype === 'f16') return Uint16Array.from(fields.int32s);
  if (dtype === 'i64') return BigInt64Array.from(fields.int64s);
  if (dtype === 'bool') return Uint8Array.from(fields.int32s, (v) => (v ? 1 : 0));
  return fields.int32s;
}

/** A cursor over protobuf wire-format bytes. */
class WireReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  done(): boolean {
    return this.at >= this.buffer.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.at >= this.buffer.length) throw new Error('truncated varint');
      const byte = this.buffer[this.at++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  bytes(): Uint8Array {
    const length = Number(this.varint());
    if (this.at + length > this.buffer.length) throw new Error('truncated length-delimited field');
    const out = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  /** A repeated varint field, packed (wire 2) or not (wire 0). */
  repeatedVarints(wire: number, push: (value: bigint) => void): void {
    if (wire === 0) return push(this.varint());
    if (wire !== 2) throw new Error(`unexpected wire type ${wire} for a varint field`);
    const inner = new WireReader(this.bytes());
    while (!inner.done()) push(inner.varint());
  }

  /** A repeated fixed-width field (wire 5 = 32-bit, 1 = 64-bit), packed or not. */
  repeatedFixed(wire: number, unpackedWire: number, size: number, push: (view: DataView, at: number) => void): void {
    if (wire === unpackedWire) {
      push(this.view, this.at);
      this.at += size;
      return;
    }
    if (wire !== 2) throw new Error(`unexpected wire type ${wire} for a fixed-width field`);
    const body = this.bytes();
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let at = 0; at + size <= body.length; at += size) push(view, at);
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.at += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.at += 4;
    else throw new Error(`cannot skip wire type ${wire}`);
  }
}
