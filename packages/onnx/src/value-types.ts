/**
 * Declared value types (`ValueInfoProto`) -> IR types. A `dim_param` is an
 * opaque name in ONNX, so it becomes one IR symbol: kept when it is a valid
 * symbol (`batch`), otherwise made into a fresh valid one (`my-dim` ->
 * `my_dim_0`; never read as arithmetic). A dim with neither value nor name
 * gets a fresh symbol of its own (`unk_1`, `unk_2`, ...).
 */
import {
  dimsCompatible,
  formatType,
  isSymbolName,
  isUnknownDim,
  type Dim,
  type DType,
  type ErrorLocation,
  type TensorType,
} from '@ladon/ir';
import { dtypeOfOnnxType, onnxTypeLabel, SUPPORTED_ONNX_TYPES } from './data-types.js';
import { OnnxImportError } from './errors.js';
import { int64ToNumber } from './int64.js';
import type { DimensionMessage, ValueInfoMessage } from './proto-messages.js';

/** A declared type: the dtype, and the shape when the model gives one. */
export interface DeclaredType {
  readonly dtype: DType;
  readonly shape?: readonly Dim[];
}

/** Turns ONNX dimensions into IR dims, keeping one symbol per distinct `dim_param`. */
export class DimNamer {
  private readonly symbols = new Map<string, string>();
  private readonly used = new Set<string>();
  private unknownCount = 0;

  /** The IR dim for one ONNX dimension, or undefined when its `dim_value` is negative or too large. */
  dim(message: DimensionMessage): Dim | undefined {
    if (message.value === 'dim_value' && message.dim_value !== undefined) {
      const value = int64ToNumber(message.dim_value);
      return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    }
    if (message.value === 'dim_param' && message.dim_param) return this.symbol(message.dim_param);
    return this.fresh('unk');
  }

  private symbol(param: string): Dim {
    const known = this.symbols.get(param);
    if (known !== undefined) return known;
    const dim = isSymbolName(param) && !this.used.has(param) ? param : this.fresh(sanitize(param));
    this.symbols.set(param, dim);
    this.used.add(dim);
    return dim;
  }

  private fresh(base: string): string {
    for (;;) {
      const candidate = `${base}_${this.unknownCount++}`;
      if (!this.used.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}

function sanitize(param: string): string {
  const cleaned = param.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `d_${cleaned}`;
}

/**
 * The declared type of a value, or undefined when the model declares none.
 * `what` names the value in messages (`graph input 'x'`). Non-tensor types
 * and unsupported element types are errors.
 */
export function declaredType(info: ValueInfoMessage, what: string, namer: DimNamer, file: string | undefined): DeclaredType | undefined {
  const fail = (problem: string): never => {
    throw new OnnxImportError(`${what}: ${problem}`, { ...(file ? { file } : {}), tensor: info.name });
  };
  const type = info.type;
  if (!type || !type.value) return undefined;
  if (type.value !== 'tensor_type' || !type.tensor_type) return fail(`${type.value.replace('_type', '')} values are not supported (only tensors)`);
  const elemType = type.tensor_type.elem_type;
  const dtype = dtypeOfOnnxType(elemType);
  if (!dtype) return fail(`element type ${onnxTypeLabel(elemType)} is not supported (supported: ${SUPPORTED_ONNX_TYPES})`);
  const shapeMessage = type.tensor_type.shape;
  if (!shapeMessage) return { dtype };
  const shape = shapeMessage.dim.map((dim, axis) => {
    const result = namer.dim(dim);
    return result ?? fail(`axis ${axis}: dim_value ${int64ToNumber(dim.dim_value ?? 0)} is not a non-negative integer`);
  });
  return { dtype, shape };
}

/**
 * The type to record for a node output: the inferred type, checked against
 * and completed by the declared one (a number from either side wins; a
 * symbol the IR inferred wins over a declared one, unless the IR only knows
 * `?`). Contradictions are errors at `location`.
 */
export function mergeDeclaredType(declared: DeclaredType | undefined, inferred: TensorType, what: string, location: ErrorLocation): TensorType {
  if (!declared) return inferred;
  const shown = declared.shape ? formatType({ dtype: declared.dtype, shape: declared.shape }) : `${declared.dtype}[...]`;
  const contradiction = (): never => {
    throw new OnnxImportError(`${what} is declared ${shown} but the op produces ${formatType(inferred)}`, location);
  };
  if (declared.dtype !== inferred.dtype) contradiction();
  if (!declared.shape) return inferred;
  if (declared.shape.length !== inferred.shape.length) contradiction();
  const shape = inferred.shape.map((dim, axis) => {
    const other = declared.shape![axis];
    if (!dimsCompatible(dim, other)) contradiction();
    if (typeof dim === 'number') return dim;
    if (typeof other === 'number' || isUnknownDim(dim)) return other;
    return dim;
  });
  return { dtype: inferred.dtype, shape };
}
