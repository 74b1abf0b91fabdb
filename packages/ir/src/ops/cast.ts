/**
 * Cast (ONNX Cast-25) and CastLike (ONNX CastLike-25): converts to the dtype given by `to`, an ONNX
 * `TensorProto.DataType` code (1 FLOAT, 10 FLOAT16, 6 INT32, 7 INT64,
 * 9 BOOL; other valid ONNX codes are rejected as unsupported); CastLike
 * converts to the dtype of its second input, whose contents it ignores.
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
import type { DType } from '../dtype.js';
import { UnsupportedError } from '../errors.js';
import { nodeLocation } from '../graph.js';
import { onnxTypeName, onnxTypeToDType, ONNX_TYPE_NAMES } from '../onnx-dtype.js';
import type { OpContext } from '../op-def.js';
import { convert, scalarTypeOf } from '../scalar/expr.js';
import { defineElementwise } from './elementwise.js';
import { ALL_TYPES } from './kernel-utils.js';

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

/** True when every known dim survives a cast to `to` unchanged. */
function passesThrough(values: readonly (number | string)[], to: DType): boolean {
  if (to === 'bool') return false;
  if (to !== 'f16') return true;
  return values.every((v) => typeof v === 'number' && Math.abs(v) <= 2048);
}

/** Cast: element-wise dtype conversion to the ONNX type code `to`. */
export const Cast = defineElementwise({
  name: 'Cast',
  summary: 'converts the elements to the dtype given by the ONNX type code `to`',
  kind: 'conversion',
  inputs: [{ name: 'input', types: ALL_TYPES }],
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
    { name: 'input', types: ALL_TYPES },
    { name: 'target_type', types: ALL_TYPES, dtypeOnly: true },
  ],
  attributes: { saturate: { type: 'int', default: 1 } },
  output: 1,
  expression: (ctx) => convert(ctx.inputs[0], scalarTypeOf(ctx.output)),
});
