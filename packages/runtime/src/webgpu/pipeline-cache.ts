/**
 * Compiled pipelines per device, keyed by source and layout (see
 * kernel-layout.ts), so sessions of the same model, and kernels shared by
 * different models, compile once per device. A failed compile is not kept.
 */
import type { GpuDevice, GpuPipeline, PipelineSpec } from './device.js';
import { pipelineKey } from './kernel-layout.js';

const caches = new WeakMap<GpuDevice, Map<string, Promise<GpuPipeline>>>();

/** The pipeline of `spec` on `gpu`, compiled on first use. */
export function cachedPipeline(gpu: GpuDevice, spec: PipelineSpec): Promise<GpuPipeline> {
  let cache = caches.get(gpu);
  if (!cache) {
    cache = new Map();
    caches.set(gpu, cache);
  }
  const key = pipelineKey(spec);
  let pipeline = cache.get(key);
  if (!pipeline) {
    pipeline = gpu.createPipeline(spec);
    cache.set(key, pipeline);
    pipeline.catch(() => cache.delete(key));
  }
  return pipeline;
}

/** How many pipelines are cached on `gpu` (for tests). */
export function cachedPipelineCount(gpu: GpuDevice): number {
  return caches.get(gpu)?.size ?? 0;
}
