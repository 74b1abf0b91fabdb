// The `@ladon/runtime/testing` surface: internals the backend tests and the
// benchmark reach for (the GPU device seam, the pipeline cache, the WGSL
// preamble, the wasm memory plan of a binding). Not part of the main API.
export { acquireGpu, gpuAvailability, type GpuDevice } from './webgpu/device.js';
export { cachedPipelineCount } from './webgpu/pipeline-cache.js';
export { kernelPreamble } from './webgpu/kernel-layout.js';
export { planMemory, concreteShape, type MemoryPlan } from './memory-plan.js';
export { bindFeeds } from './bindings.js';
