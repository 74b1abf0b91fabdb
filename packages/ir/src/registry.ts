/**
 * The op set: every op the IR knows, grouped by phase. One screen. Compiler
 * developers add an op by writing its file under `ops/` (schema, inference,
 * reference semantics, tests) and listing it here — or, outside this
 * package, with {@link registerOp}.
 */
import { UnknownOpError, UnsupportedError, type ErrorLocation } from './errors.js';
import type { OpDef } from './op-def.js';
import { Add } from './ops/add.js';
import { Div } from './ops/div.js';
import { MatMul } from './ops/matmul.js';
import { Mul } from './ops/mul.js';
import { Reshape } from './ops/reshape.js';
import { Sub } from './ops/sub.js';

const BUILTIN_OPS: readonly OpDef[] = [
  // linear algebra
  MatMul,
  // element-wise arithmetic
  Add, Sub, Mul, Div,
  // shape and data movement
  Reshape,
];

const registry = new Map<string, OpDef>(BUILTIN_OPS.map((def) => [def.name, def]));

/** The definition of `op`, or an UnknownOpError naming it (and where, if given). */
export function getOpDef(op: string, location: ErrorLocation = {}): OpDef {
  const def = registry.get(op);
  if (!def) throw new UnknownOpError(op, location);
  return def;
}

/** True when `op` is in the op set. */
export function hasOp(op: string): boolean {
  return registry.has(op);
}

/** The names of every op in the op set, sorted. */
export function listOps(): string[] {
  return [...registry.keys()].sort();
}

/** Adds an op to the op set (for ops defined outside @ladon/ir); refuses to replace a built-in one. */
export function registerOp(def: OpDef): void {
  if (BUILTIN_OPS.some((builtin) => builtin.name === def.name)) {
    throw new UnsupportedError(`cannot replace the built-in op ${def.name}`, { op: def.name });
  }
  registry.set(def.name, def);
}
