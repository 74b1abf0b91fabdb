/**
 * Memory planning for one binding of the symbols: every buffer's byte size
 * is evaluated, then intermediates get offsets in one arena by a greedy
 * best-fit over their lifetimes (first step .. last step), so buffers whose
 * lifetimes do not overlap share bytes. Weights sit in their own region,
 * placed once; views (aliases) share their target's offset. Per-thread
 * scratch gets one aligned copy per thread, side by side.
 */
import { dtypeSize, evaluateDim, LadonError, type BufferSpec, type Program } from '@ladon/ir';
import { rootLifetimes, rootOf } from './lifetimes.js';

/** Where each buffer lives, relative to the start of the arena. */
export interface MemoryPlan {
  /** Byte offset of each non-weight buffer in the arena, by buffer id. */
  readonly offsets: ReadonlyMap<number, number>;
  /** Byte size of each buffer, by id (all copies of a per-thread buffer). */
  readonly sizes: ReadonlyMap<number, number>;
  /** For per-thread buffers: the bytes from one thread's copy to the next. */
  readonly copyStrides: ReadonlyMap<number, number>;
  /** Concrete shape of each buffer, by id. */
  readonly shapes: ReadonlyMap<number, readonly number[]>;
  /** Bytes the arena needs. */
  readonly arenaBytes: number;
}

const ALIGNMENT = 16;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
}

/** The concrete shape of a buffer under `bindings`. */
export function concreteShape(spec: BufferSpec, bindings: ReadonlyMap<string, number>): number[] {
  return spec.shape.map((dim) => {
    const value = typeof dim === 'number' ? dim : evaluateDim(dim, bindings);
    if (value === undefined) throw new LadonError('E_SHAPE', `the size of buffer ${spec.name} (${dim}) is not known from the inputs`, { tensor: spec.name });
    return value;
  });
}

/** Plans the arena for `program` under `bindings`, for a session computing on `threads` threads. */
export function planMemory(program: Program, bindings: ReadonlyMap<string, number>, threads = 1): MemoryPlan {
  const shapes = new Map<number, number[]>();
  const sizes = new Map<number, number>();
  const copyStrides = new Map<number, number>();
  for (const spec of program.buffers) {
    const shape = concreteShape(spec, bindings);
    shapes.set(spec.id, shape);
    const bytes = shape.reduce((product, dim) => product * dim, 1) * dtypeSize(spec.dtype);
    if (spec.perThread) copyStrides.set(spec.id, align(bytes));
    sizes.set(spec.id, spec.perThread ? align(bytes) * threads : bytes);
  }
  const offsets = new Map<number, number>();
  const placed: { start: number; end: number; first: number; last: number }[] = [];
  let arenaBytes = 0;
  const lifetimes = rootLifetimes(program);
  const candidates = program.buffers.filter((spec) => spec.kind !== 'weight' && spec.aliasOf === undefined);
  candidates.sort((a, b) => sizes.get(b.id)! - sizes.get(a.id)! || a.id - b.id);
  for (const spec of candidates) {
    const size = align(Math.max(sizes.get(spec.id)!, 1));
    const lifetime = lifetimes.get(spec.id)!;
    const busy = placed.filter((block) => block.first <= lifetime.last && lifetime.first <= block.last).sort((a, b) => a.start - b.start);
    let offset = 0;
    for (const block of busy) {
      if (offset + size <= block.start) break;
      offset = Math.max(offset, block.end);
    }
    offsets.set(spec.id, offset);
    placed.push({ start: offset, end: offset + size, ...lifetime });
    arenaBytes = Math.max(arenaBytes, offset + size);
  }
  for (const spec of program.buffers) if (spec.aliasOf !== undefined) offsets.set(spec.id, offsets.get(rootOf(program, spec.id)) ?? 0);
  return { offsets, sizes, copyStrides, shapes, arenaBytes };
}
