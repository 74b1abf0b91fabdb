/**
 * Cast (ONNX Cast-25) and CastLike (ONNX CastLike-25): converts to the dtype given by `to`, an ONNX
 * `TensorProto.DataType` code (1 FLOAT, 10 FLOAT16, 6 INT32, 7 INT64,
 * 3 INT8, 2 UINT8, 9 BOOL; other valid ONNX codes are rejected as
 * unsupported); CastLike
 * converts to the dtype of its second input, whose contents it ignores.
 *
 * Conversions: float -> int truncates towards zero; NaN -> int gives 0 and
 * out-of-range values (including ±inf) saturate to the integer range (ONNX
 * leaves both undefined). Anything -> bool is `x != 0` (so NaN -> true).
 * bool -> number is 0/1. i64 -> i32 wraps (two's complement, like C), and
 * so does anything -> i8/u8 (after the conversion to i32 above). Float
 * -> f16 rounds to nearest even. `saturate` only concerns float8 and is
 * accepted and ignored.
 *
 * `inferValue` passes known symbolic contents through when the target is
 * numeric, so PyTorch's Cast chains around shape arithmetic stay symbolic.
 */
import type { DType } from '../dtype.js';
import { UnsupportedError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import { onnxTypeName, onnxTypeToDType, ONNX_TYPE_NAMES } from '../onnx-dtype.js';
import type { OpContext } from '../op-def.js';
import { convert, scalarTypeOf } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ELEMENTWISE_TYPES } from './kernel-utils.js';

/** The target dtype of a Cast node, or a typed error for bad / unsupported `to` codes. */
export function castTarget(ctx: OpContext): DType {
  const code = ctx.int('to');
  const dtype = onnxTypeToDType(code);
  if (dtype) return dtype;
  if (code > 0 && Object.prototype.hasOwnProperty.call(ONNX_TYPE_NAMES, code)) {
    throw new UnsupportedError(
      `Cast to ${onnxTypeName(code)} is not supported; supported targets are FLOAT (1), FLOAT16 (10), INT32 (6), INT64 (7), INT8 (3), UINT8 (2), BOOL (9)`,
      nodeLocation(ctx.node),
    );
  }
  return ctx.failAttr(`attribute 'to' must be an ONNX data type code, got ${code}`);
}

/** True when every known dim survives a cast to `to` unchanged. */
function passesThrough(values: readonly (number | string)[], to: DType): boolean {
  const limit: Partial<Record<DType, [number, number]>> = { f16: [-2048, 2048], i8: [-128, 127], u8: [0, 255] };
  if (to === 'bool') return false;
  const range = limit[to];
  return !range || values.every((v) => typeof v === 'number' && v >= range[0] && v <= range[1]);
}

/** Cast: element-wise dtype conversion to the ONNX type code `to`. */
export const Cast = defineElementwise({
  name: 'Cast',
  summary: 'converts the elements to the dtype given by the ONNX type code `to`',
  kind: 'conversion',
  inputs: [{ name: 'input', types: ELEMENTWISE_TYPES }],
  attributes: { to: { type: 'int', required: true }, saturate: { type: 'int', default: 1 } },
  output: castTarget,
  expression: (ctx) => convert(ctx.inputs[0], scalarTypeOf(ctx.output)),
  inferValue(ctx) {
    const known = ctx.known(0);
    if (!known) return undefined;
    return passesThrough(known, castTarget(ctx)) ? known : undefined;
  },
});

/** CastLike: element-wise dtype conversion to the dtype of `target_type` (whose values are not read). */
export const CastLike = defineElementwise({
  name: 'CastLike',
  summary: 'converts the elements of input to the dtype of target_type',
  kind: 'conversion',
  inputs: [
    { name: 'input', types: ELEMENTWISE_TYPES },
    { name: 'target_type', types: ELEMENTWISE_TYPES, dtypeOnly: true },
  ],
  attributes: { saturate: { type: 'int', default: 1 } },
  output: 1,
  expression: (ctx) => convert(ctx.inputs[0], scalarTypeOf(ctx.output)),
});
