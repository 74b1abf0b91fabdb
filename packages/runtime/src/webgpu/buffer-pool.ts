/**
 * A pool of storage buffers by size class (powers of two from 256 bytes,
 * capped at the binding limit), so a session that runs at several shapes
 * reuses buffers instead of allocating new ones. Run plans take buffers
 * and give them back when they are evicted; dispose frees everything.
 */
import type { GpuBuffer, GpuDevice } from './device.js';

const SMALLEST = 256;

/** The capacity a buffer of `bytes` is allocated with. */
export function sizeClass(bytes: number, limit: number): number {
  let capacity = SMALLEST;
  while (capacity < bytes) capacity *= 2;
  return capacity > limit ? Math.ceil(bytes / 4) * 4 : capacity;
}

/** Storage buffers kept for reuse, by capacity. */
export class BufferPool {
  private readonly free = new Map<number, GpuBuffer[]>();
  private readonly owned = new Set<GpuBuffer>();

  constructor(private readonly gpu: GpuDevice) {}

  /** A buffer of at least `bytes` bytes (from the pool when one of its size class is free). */
  acquire(bytes: number, label: string): GpuBuffer {
    const capacity = sizeClass(bytes, this.gpu.limits.maxStorageBufferBindingSize);
    const reused = this.free.get(capacity)?.pop();
    if (reused) return reused;
    const buffer = this.gpu.createBuffer(capacity, 'storage', label);
    this.owned.add(buffer);
    return buffer;
  }

  /** Gives a buffer back for reuse. */
  release(buffer: GpuBuffer): void {
    const list = this.free.get(buffer.size);
    if (list) list.push(buffer);
    else this.free.set(buffer.size, [buffer]);
  }

  /** Buffers allocated and not yet freed (for tests and reports). */
  get allocated(): number {
    return this.owned.size;
  }

  /** Frees every buffer the pool made. */
  dispose(): void {
    if (this.gpu.lost === undefined) for (const buffer of this.owned) this.gpu.destroyBuffer(buffer);
    this.owned.clear();
    this.free.clear();
  }
}
