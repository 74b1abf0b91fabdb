/**
 * How many threads a wasm session computes on, and how many parts a split
 * step runs in. The default is every core up to {@link DEFAULT_THREAD_CAP}
 * (like onnxruntime-web's `numThreads`); where memory cannot be shared
 * (a page that is not cross-origin isolated) a session runs on one thread,
 * and the first such session says so once.
 */
import { BackendError } from '../../errors.js';
import { availableCores, sharedMemoryUnavailableReason } from './worker-seam.js';

/** The default thread count is the core count, at most this. */
export const DEFAULT_THREAD_CAP = 4;

/**
 * Multiply-adds below which a part is not worth waking a worker for.
 * Measured on a 2-core Zen 4 (Node 20): a dispatch and wait cost ~20–60 µs,
 * and 2^18 multiply-adds take ~15–30 µs at this kernel speed, so a step
 * is split only when every part gets at least this much work.
 */
export const MIN_WORK_PER_PART = 2 ** 18;

let warned = false;

/** The threads a session gets for the `numThreads` option (validated; 1 when memory cannot be shared). */
export function resolveThreadCount(requested: number | undefined): number {
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) {
    throw new BackendError(`numThreads must be a whole number of at least 1, got ${requested}`);
  }
  const wanted = requested ?? Math.min(availableCores(), DEFAULT_THREAD_CAP);
  if (wanted === 1) return 1;
  const reason = sharedMemoryUnavailableReason();
  if (reason === undefined) return wanted;
  if (!warned) {
    warned = true;
    console.warn(`Ladon: the wasm backend runs on 1 thread instead of ${wanted}: ${reason}`);
  }
  return 1;
}

/** The parts a split step runs in: at most one per thread and per unit, each with at least {@link MIN_WORK_PER_PART} of work. */
export function partsFor(units: number, unitCost: number, threads: number): number {
  if (threads <= 1 || units <= 1) return 1;
  const byWork = Math.floor((units * unitCost) / MIN_WORK_PER_PART);
  return Math.max(1, Math.min(threads, units, byWork));
}
