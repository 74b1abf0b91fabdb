/**
 * Buffer lifetimes, shared by the wasm memory planner and the WebGPU buffer
 * slots. Views (aliasOf) use their root's bytes; a root lives from its first
 * to its last step, including its views' steps; inputs and host-written
 * values (known shape values, values the host part computed) from before
 * the first step, outputs to after the last.
 */
import type { BufferSpec, Program } from '@ladon/ir';

/** A buffer's lifetime in steps (inclusive). */
export interface Lifetime {
  readonly first: number;
  readonly last: number;
}

/** The id of the buffer that owns `id`'s bytes (follows views). */
export function rootOf(program: Program, id: number): number {
  let spec: BufferSpec = program.buffers[id];
  while (spec.aliasOf !== undefined) spec = program.buffers[spec.aliasOf];
  return spec.id;
}

/** The lifetime of every root buffer that is not a weight. */
export function rootLifetimes(program: Program): Map<number, Lifetime> {
  const lifetimes = new Map<number, { first: number; last: number }>();
  const extend = (root: number, first: number, last: number) => {
    const current = lifetimes.get(root);
    lifetimes.set(root, current ? { first: Math.min(current.first, first), last: Math.max(current.last, last) } : { first, last });
  };
  for (const spec of program.buffers) {
    const root = rootOf(program, spec.id);
    if (program.buffers[root].kind === 'weight') continue;
    const hostWritten = spec.kind === 'input' || spec.known !== undefined || spec.host === true;
    extend(root, hostWritten ? -1 : spec.firstStep, spec.lastStep);
  }
  for (const output of program.outputs) {
    const root = rootOf(program, output.buffer);
    if (lifetimes.has(root)) extend(root, lifetimes.get(root)!.first, program.steps.length);
  }
  return lifetimes;
}
