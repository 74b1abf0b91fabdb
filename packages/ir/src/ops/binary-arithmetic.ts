/**
 * The shared definition of the broadcasting arithmetic ops (Add, Sub, Mul,
 * Div, Pow): ONNX semantics, one dtype for both operands, integer division
 * truncating towards zero. For shape tensors whose contents are known
 * symbolically, the result is computed symbolically too.
 */
import { addDims, divDimsExact, mulDims, subDims, UNKNOWN_DIM, type Dim } from '../dim.js';
import type { OpDef } from '../op-def.js';
import { inferBroadcast, integerDivide, mapBroadcast, NUMERIC_TYPES } from './kernel-utils.js';

type DimArithmetic = (a: Dim, b: Dim) => Dim | undefined;

interface ArithmeticSpec {
  readonly name: string;
  readonly summary: string;
  readonly float: (a: number, b: number) => number;
  readonly integer: (a: number, b: number) => number;
  readonly symbolic?: DimArithmetic;
  readonly commutative?: boolean;
}

/** Builds the OpDef of one broadcasting arithmetic op. */
export function defineBinaryArithmetic(spec: ArithmeticSpec): OpDef {
  return {
    name: spec.name,
    summary: spec.summary,
    inputs: [{ name: 'A' }, { name: 'B' }],
    outputs: [{ name: 'C' }],
    attributes: {},
    ...(spec.commutative ? { commutative: true } : {}),
    infer: (ctx) => [inferBroadcast(ctx, 2, NUMERIC_TYPES)],
    inferValue(ctx) {
      const symbolic = spec.symbolic;
      const a = ctx.known(0);
      const b = ctx.known(1);
      if (!symbolic || !a || !b) return undefined;
      if (a.length !== b.length && a.length !== 1 && b.length !== 1) return undefined;
      const length = Math.max(a.length, b.length);
      const out: Dim[] = [];
      for (let i = 0; i < length; i++) out.push(symbolic(a[a.length === 1 ? 0 : i], b[b.length === 1 ? 0 : i]) ?? UNKNOWN_DIM);
      return out;
    },
    evaluate(ctx) {
      const a = ctx.input(0);
      const b = ctx.input(1);
      const isInt = a.dtype === 'i32' || a.dtype === 'i64';
      return [mapBroadcast(ctx, [a, b], a.dtype, isInt ? spec.integer : spec.float)];
    },
  };
}

/** Symbolic forms used by the arithmetic ops. */
export const symbolicArithmetic = {
  add: addDims,
  sub: subDims,
  mul: mulDims,
  div: (a: Dim, b: Dim): Dim | undefined => {
    if (typeof a === 'number' && typeof b === 'number') return b === 0 ? undefined : integerDivide(a, b);
    return divDimsExact(a, b);
  },
} satisfies Record<string, DimArithmetic>;
