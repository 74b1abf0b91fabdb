/**
 * Cast (ONNX Cast-21): converts to the dtype given by `to`, an ONNX
 * `TensorProto.DataType` code (1 FLOAT, 10 FLOAT16, 6 INT32, 7 INT64,
 * 9 BOOL; other valid ONNX codes are rejected as unsupported).
 *
 * Conversions: float -> int truncates towards zero; NaN -> int gives 0 and
 * out-of-range values (including ±inf) saturate to the integer range (ONNX
 * leaves both undefined). Anything -> bool is `x != 0` (so NaN -> true).
 * bool -> number is 0/1. i64 -> i32 wraps (two's complement, like C). Float
 * -> f16 rounds to nearest even. `saturate` only concerns float8 and is
 * accepted and ignored.
 *
 * `inferValue` passes known symbolic contents through when the target is
 * numeric, so PyTorch's Cast chains around shape arithmetic stay symbolic.
 */
import { isFloatDType, type DType } from '../dtype.js';
import { UnsupportedError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import { onnxTypeName, onnxTypeToDType, ONNX_TYPE_NAMES } from '../onnx-dtype.js';
import type { OpContext, OpDef } from '../op-def.js';
import { fromNumbers, type Tensor } from '../tensor.js';
import { numericValues } from './kernel-utils.js';

/** The target dtype of a Cast node, or a typed error for bad / unsupported `to` codes. */
export function castTarget(ctx: OpContext): DType {
  const code = ctx.int('to');
  const dtype = onnxTypeToDType(code);
  if (dtype) return dtype;
  if (code > 0 && Object.prototype.hasOwnProperty.call(ONNX_TYPE_NAMES, code)) {
    throw new UnsupportedError(
      `Cast to ${onnxTypeName(code)} is not supported; supported targets are FLOAT (1), FLOAT16 (10), INT32 (6), INT64 (7), BOOL (9)`,
      nodeLocation(ctx.node),
    );
  }
  return ctx.failAttr(`attribute 'to' must be an ONNX data type code, got ${code}`);
}

const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** Converts a float to i32: NaN -> 0, truncation, saturation. */
function floatToI32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(I32_MAX, Math.max(I32_MIN, Math.trunc(x)));
}

/** Converts a float to i64: NaN -> 0, truncation, saturation. */
function floatToI64(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return I64_MAX;
  if (x <= -(2 ** 63)) return I64_MIN;
  return BigInt(Math.trunc(x));
}

/** Casts a tensor to `to` with the conversions documented above. */
export function castTensor(value: Tensor, to: DType): Tensor {
  const from = value.dtype;
  if (from === to) return value;
  const { shape } = value;
  const n = value.data.length;
  if (to === 'bool') {
    const out = new Uint8Array(n);
    if (from === 'i64') {
      const src = value.data as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = src[i] !== 0n ? 1 : 0;
    } else {
      const xs = numericValues(value);
      for (let i = 0; i < n; i++) out[i] = xs[i] !== 0 ? 1 : 0;
    }
    return { dtype: 'bool', shape, data: out };
  }
  if (to === 'i64') {
    const out = new BigInt64Array(n);
    const xs = numericValues(value);
    for (let i = 0; i < n; i++) out[i] = isFloatDType(from) ? floatToI64(xs[i]) : BigInt(xs[i]);
    return { dtype: 'i64', shape, data: out };
  }
  if (to === 'i32') {
    const out = new Int32Array(n);
    if (from === 'i64') {
      const src = value.data as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(32, src[i]));
    } else {
      const xs = numericValues(value);
      for (let i = 0; i < n; i++) out[i] = floatToI32(xs[i]);
    }
    return { dtype: 'i32', shape, data: out };
  }
  return fromNumbers(to, shape, numericValues(value));
}

/** True when every known dim survives a cast to `to` unchanged. */
function passesThrough(values: readonly (number | string)[], to: DType): boolean {
  if (to === 'bool') return false;
  if (to !== 'f16') return true;
  return values.every((v) => typeof v === 'number' && Math.abs(v) <= 2048);
}

/** Cast: element-wise dtype conversion to the ONNX type code `to`. */
export const Cast: OpDef = {
  name: 'Cast',
  summary: 'converts the elements to the dtype given by the ONNX type code `to`',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attributes: { to: { type: 'int', required: true }, saturate: { type: 'int', default: 1 } },
  infer(ctx) {
    const dtype = castTarget(ctx);
    return [{ dtype, shape: ctx.type(0).shape }];
  },
  inferValue(ctx) {
    const known = ctx.known(0);
    if (!known) return undefined;
    return passesThrough(known, castTarget(ctx)) ? known : undefined;
  },
  evaluate(ctx) {
    return [castTensor(ctx.input(0), castTarget(ctx))];
  },
};
