import type { BufferSpec, Program } from '@ladon/ir';
import { describe, expect, it } from 'vitest';
import { planMemory } from './memory-plan.js';

function program(buffers: Omit<BufferSpec, 'id' | 'dtype'>[], steps: number): Program {
  return {
    format: 'ladon-program', version: 1, name: 'plan', target: 'wasm',
    inputs: [{ name: 'x', buffer: 0 }], outputs: [{ name: 'y', buffer: buffers.length - 1 }],
    buffers: buffers.map((buffer, id) => ({ ...buffer, id, dtype: 'f32' })),
    steps: Array.from({ length: steps }, (_, i) => ({ kernel: `k${i}`, op: 'Op', node: `%${i}`, args: [] })),
    weights: new Uint8Array(), passes: [],
  };
}

const overlap = (plan: ReturnType<typeof planMemory>, a: number, b: number): boolean =>
  plan.offsets.get(a)! < plan.offsets.get(b)! + plan.sizes.get(b)! && plan.offsets.get(b)! < plan.offsets.get(a)! + plan.sizes.get(a)!;

describe('planMemory', () => {
  const plan = planMemory(
    program(
      [
        { name: 'x', shape: ['n'], kind: 'input', firstStep: 0, lastStep: 0 },
        { name: 'a', shape: ['n'], kind: 'intermediate', firstStep: 0, lastStep: 1 },
        { name: 'b', shape: ['n'], kind: 'intermediate', firstStep: 2, lastStep: 3 },
        { name: 'shape', shape: [2], kind: 'intermediate', known: ['n', 4], firstStep: 3, lastStep: 3 },
        { name: 'view', shape: ['n'], kind: 'intermediate', aliasOf: 2, firstStep: 3, lastStep: 4 },
        { name: 'y', shape: ['n'], kind: 'output', firstStep: 4, lastStep: 4 },
      ],
      5,
    ),
    new Map([['n', 1000]]),
  );

  it('lets buffers with disjoint lifetimes share bytes and keeps overlapping ones apart', () => {
    expect(overlap(plan, 2, 0) || overlap(plan, 2, 1)).toBe(true); // b (steps 2-4) reuses bytes of x or a, both dead by then
    expect(plan.arenaBytes).toBeLessThan(4 * 4000); // five tensors of 4000 bytes (and a tiny one) in fewer than four slots
    expect(overlap(plan, 0, 1)).toBe(false); // the input is live when a is written
    expect(overlap(plan, 2, 5)).toBe(false); // b lives on through its view until step 4, when y is written
    expect(plan.offsets.get(4)).toBe(plan.offsets.get(2));
  });

  it('keeps a host-written shape value apart from buffers used before its first kernel step', () => {
    expect(overlap(plan, 3, 1)).toBe(false);
    expect(overlap(plan, 3, 0)).toBe(false);
  });
});
