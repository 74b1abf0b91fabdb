/**
 * Buffer sharing on the GPU: roots follow views, host-written buffers live
 * from before the first step and outputs past the last, and roots share a
 * slot only when their lifetimes are disjoint and their size class equal.
 */
import { describe, expect, it } from 'vitest';
import type { BufferSpec, Program } from '@ladon/ir';
import { assignSlots, rootLifetimes, rootOf } from './buffer-slots.js';

function buffer(id: number, kind: BufferSpec['kind'], firstStep: number, lastStep: number, extra: Partial<BufferSpec> = {}): BufferSpec {
  return { id, name: `b${id}`, dtype: 'f32', shape: [4], kind, firstStep, lastStep, ...extra };
}

const PROGRAM = {
  buffers: [
    buffer(0, 'input', 0, 0),
    buffer(1, 'intermediate', 0, 1),
    buffer(2, 'intermediate', 1, 2, { aliasOf: 1 }),
    buffer(3, 'intermediate', 2, 3),
    buffer(4, 'output', 3, 3),
    buffer(5, 'weight', 0, 3, { weightOffset: 0 }),
    buffer(6, 'intermediate', 2, 2, { known: ['seq'] }),
  ],
  outputs: [{ name: 'y', buffer: 4 }],
  steps: [{}, {}, {}, {}],
} as unknown as Program;

describe('buffer slots', () => {
  it('resolves views to their root', () => {
    expect(rootOf(PROGRAM, 2)).toBe(1);
    expect(rootOf(PROGRAM, 4)).toBe(4);
  });

  it('extends lifetimes over views, host writes and outputs; skips weights', () => {
    const lifetimes = rootLifetimes(PROGRAM);
    expect([...lifetimes.keys()].sort()).toEqual([0, 1, 3, 4, 6]);
    expect(lifetimes.get(0)).toEqual({ first: -1, last: 0 });
    expect(lifetimes.get(1)).toEqual({ first: 0, last: 2 });
    expect(lifetimes.get(4)).toEqual({ first: 3, last: 4 });
    expect(lifetimes.get(6)).toEqual({ first: -1, last: 2 });
  });

  it('shares slots between disjoint lifetimes of one size class only', () => {
    const { slotOf, capacities } = assignSlots([
      { id: 0, first: -1, last: 0, capacity: 256 },
      { id: 1, first: 0, last: 2, capacity: 256 },
      { id: 3, first: 2, last: 3, capacity: 256 },
      { id: 4, first: 3, last: 4, capacity: 512 },
      { id: 7, first: 1, last: 1, capacity: 256 },
    ]);
    expect(slotOf.get(7)).toBe(slotOf.get(0));
    expect(slotOf.get(3)).not.toBe(slotOf.get(1));
    expect(slotOf.get(3)).toBe(slotOf.get(0));
    expect(capacities).toEqual([256, 256, 512]);
  });
});
