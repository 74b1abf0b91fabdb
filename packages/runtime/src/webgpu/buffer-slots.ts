/**
 * Which tensors can share a GPU buffer. Views (aliasOf) use their root's
 * buffer; a root lives from its first to its last step, including its
 * views' steps (inputs and host-written values from before the first step,
 * outputs to after the last). Roots whose lifetimes do not overlap, and
 * whose sizes fall in the same size class, share one buffer ("slot"). All
 * of a run's dispatches go into one command buffer, in order, so reuse
 * after a tensor's last step is safe.
 */
import type { Lifetime } from '../lifetimes.js';

export { rootLifetimes, rootOf, type Lifetime } from '../lifetimes.js';

/** One root to place: its bytes (already a size class) and lifetime. */
export interface SlotRequest extends Lifetime {
  readonly id: number;
  readonly capacity: number;
}

/** Assigns each root a slot index; slots are reused by roots of equal capacity that start after the slot's last use. */
export function assignSlots(requests: readonly SlotRequest[]): { slotOf: Map<number, number>; capacities: number[] } {
  const ordered = [...requests].sort((a, b) => a.first - b.first || a.id - b.id);
  const slots: { capacity: number; last: number }[] = [];
  const slotOf = new Map<number, number>();
  for (const request of ordered) {
    let chosen = slots.findIndex((slot) => slot.capacity === request.capacity && slot.last < request.first);
    if (chosen < 0) {
      chosen = slots.length;
      slots.push({ capacity: request.capacity, last: request.last });
    } else {
      slots[chosen].last = request.last;
    }
    slotOf.set(request.id, chosen);
  }
  return { slotOf, capacities: slots.map((slot) => slot.capacity) };
}
