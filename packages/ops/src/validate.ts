/**
 * Up-front checks of what callers pass to the ops. Every failure is a typed
 * LadonError whose message names the op, the argument, and what was
 * expected against what came, e.g.
 *
 *   attention: k must be [batch, kvHeads, keys, headSize] = [2, 4, *, 16], got [2, 4, 7, 8]
 *
 * In expected shapes `*` stands for a size the op does not constrain.
 */
import { AttributeError, dataMatchesDType, DTypeError, FeedError, formatShape, ShapeError, shapeSize, storageName, type DType, type Tensor } from '@ladon/ir';
import type { BackendName } from '@ladon/runtime';
import { backendSupportsDType } from './backend.js';

/** An expected size per axis; `undefined` accepts any size. */
export type ExpectedShape = readonly (number | undefined)[];

/** Formats an expected shape with `*` for free axes: `[2, 4, *, 16]`. */
export function formatExpected(expected: ExpectedShape): string {
  return `[${expected.map((dim) => dim ?? '*').join(', ')}]`;
}

/** Checks that `value` is a well-formed tensor (storage matches dtype, length matches shape). */
export function expectTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  const candidate = value as Partial<Tensor> | undefined;
  if (!candidate || typeof candidate !== 'object' || !Array.isArray(candidate.shape) || typeof candidate.dtype !== 'string' || !candidate.data) {
    throw new FeedError(`${op}: ${name} must be a Tensor { dtype, shape, data }, got ${describeValue(value)}`, { tensor: name });
  }
  if (!dataMatchesDType(candidate.dtype, candidate.data)) {
    throw new DTypeError(`${op}: ${name} has dtype ${candidate.dtype} but its data is not a ${storageName(candidate.dtype)}`, { tensor: name });
  }
  if (shapeSize(candidate.shape) !== candidate.data.length) {
    throw new ShapeError(`${op}: ${name} has shape ${formatShape(candidate.shape)} (${shapeSize(candidate.shape)} elements) but ${candidate.data.length} values`, { tensor: name });
  }
}

/** Checks a tensor's dtype against a list, naming the argument. */
export function expectDType(op: string, name: string, value: Tensor, allowed: readonly DType[], why = ''): void {
  if (allowed.includes(value.dtype)) return;
  throw new DTypeError(`${op}: ${name} must be ${allowed.join(' or ')}${why}, got ${value.dtype}`, { tensor: name });
}

/** Checks that `backend` computes in `dtype`. */
export function expectBackendDType(op: string, name: string, dtype: DType, backend: BackendName): void {
  if (backendSupportsDType(backend, dtype)) return;
  throw new DTypeError(`${op}: ${name} is ${dtype}, which the ${backend} backend does not compute; pass f32 tensors or choose another backend`, {
    tensor: name,
  });
}

/**
 * Checks a tensor's shape against a legend (`['batch', 'heads', 'seq', 'headSize']`)
 * and the sizes expected so far (`undefined` = any).
 */
export function expectShape(op: string, name: string, legend: readonly string[], expected: ExpectedShape, value: Tensor): void {
  const fits = value.shape.length === expected.length && expected.every((dim, axis) => dim === undefined || dim === value.shape[axis]);
  if (fits) return;
  throw new ShapeError(`${op}: ${name} must be [${legend.join(', ')}] = ${formatExpected(expected)}, got ${formatShape(value.shape)}`, {
    tensor: name,
  });
}

/** Checks that an option is a positive integer. */
export function expectPositiveInteger(op: string, name: string, value: number): void {
  if (Number.isInteger(value) && value >= 1) return;
  throw new AttributeError(`${op}: ${name} must be a positive integer, got ${value}`);
}

/** Checks an optional finite number (e.g. `scale`), with an extra lower bound if given. */
export function expectFiniteOption(op: string, name: string, value: number | undefined, minimum?: number): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isFinite(value) && (minimum === undefined || value >= minimum)) return;
  const range = minimum === undefined ? 'a finite number' : `a finite number >= ${minimum}`;
  throw new AttributeError(`${op}: ${name} must be ${range}, got ${String(value)}`);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
